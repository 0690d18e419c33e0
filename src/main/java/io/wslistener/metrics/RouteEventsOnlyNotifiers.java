package io.wslistener.metrics;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.EventHelper;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * Tells Camel's own event notifiers that only ever act on context and route events (started, added, reloaded) to
 * ignore exchange events. They do not switch that off themselves, so Camel creates and offers them five or more
 * events for every exchange of every route (created, sending, sent, async started, completed), only for their
 * {@code isEnabled} to turn each one down: on a feed of 100-byte messages that was about a sixth of the delivery
 * thread's time. What these notifiers do is unchanged; notifiers of the host or of other libraries are left alone.
 */
final class RouteEventsOnlyNotifiers implements StartupListener {

    /**
     * The notifiers that camel-main, camel-platform-http-main and camel-micrometer register, each checked in Camel
     * 4.17 to act on nothing but context or route events. Matched by name: most are anonymous or private classes.
     */
    private static final List<String> CLASS_PREFIXES = List.of(
            "org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier",
            "org.apache.camel.component.micrometer.prometheus.MicrometerPrometheus$",
            "org.apache.camel.main.BaseMainSupport$PlaceholderSummaryEventNotifier",
            "org.apache.camel.component.platform.http.main.MainHttpServerUtil$");

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        for (EventNotifier notifier : context.getManagementStrategy().getEventNotifiers()) {
            if (notifier instanceof SimpleEventNotifierSupport support && routeEventsOnly(notifier.getClass())) {
                support.setIgnoreExchangeEvents(true);
            }
        }
        // Camel decided before the routes started whether any notifier takes exchange events, and does not decide
        // again when one stops taking them: without this, every exchange still walks the notifiers five times. A
        // notifier added later that takes exchange events switches them back on (ManagementStrategy.addEventNotifier).
        context.getCamelContextExtension().setEventNotificationApplicable(EventHelper.eventsApplicable(context));
    }

    static boolean routeEventsOnly(Class<?> type) {
        String name = type.getName();
        return CLASS_PREFIXES.stream().anyMatch(name::startsWith);
    }
}
