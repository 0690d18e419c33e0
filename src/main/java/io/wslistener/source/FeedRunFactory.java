package io.wslistener.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.function.BooleanSupplier;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.MessageReceiver;
import io.wslistener.connection.VertxInternals;
import io.wslistener.policy.ConnectionSettings;
import io.wslistener.policy.HandshakeHeaders;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.spi.DeliveryStatus;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;
import io.wslistener.support.Durations;
import io.wslistener.support.StopBudget;
import io.wslistener.support.UriMasking;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConfiguration;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one start of a {@link WsListenerConsumer}: the route's settings from its policy, the HTTP client, the connection
 * loop on an event-loop context of its own, the hand-off to the route and its delivery, the listeners that log, stop the
 * route on give-up and turn connects into lifecycle events, and the feed that observers see. Nothing runs until the
 * consumer starts the loop. Logs under the consumer's logger, which the docs name.
 */
final class FeedRunFactory {

    private static final Logger LOG = LoggerFactory.getLogger(WsListenerConsumer.class);
    private static final int CLOSING_BACKSTOP_SECONDS = 5;

    /**
     * What a route without a policy of its own runs with: nothing set, so the properties and defaults apply. One for
     * all such routes (it holds nothing per route); the feed keeps it for stopping its route on give-up.
     */
    private static final WsListenerRoutePolicy NO_POLICY = new WsListenerRoutePolicy();

    private final WsListenerConsumer consumer;
    private final WsListenerEndpoint endpoint;
    private final CamelContext camelContext;
    private final String routeId;
    // the parts that refer to each other (the hand-off pauses the loop, the loop offers to the hand-off)
    private ConnectionLoop loop;
    private OrderedHandoff<Inbound> handoff;
    // the hand-off of the route's previous start, still delivering (its stop's drain timed out), or null
    private OrderedHandoff<?> previous;
    private DeliveryStatus status;

    FeedRunFactory(WsListenerConsumer consumer) {
        this.consumer = consumer;
        this.endpoint = consumer.getEndpoint();
        this.camelContext = endpoint.getCamelContext();
        this.routeId = consumer.getRouteId();
    }

    /**
     * @param resume     asks the loop to read again once the hand-off's backlog fell (the consumer decides, as it knows
     *                   whether a stop is draining)
     * @param forcedStop whether Camel forced the context's stop
     * @param stopping   whether a stop (or suspend) of this start has begun: it then cuts off what the route has not
     *                   taken by itself, and a connection's close deadline is the stop's
     */
    FeedRun create(Runnable resume, BooleanSupplier forcedStop, BooleanSupplier stopping) throws Exception {
        WsListenerRoutePolicy policy = policyOf(consumer.getRoute());
        ConnectionSettings settings = policy.settingsFor(routeId, camelContext);
        HandshakeHeaders headers = new HandshakeHeaders(camelContext, routeId, settings.getHandshakeHeaders(),
                settings.getHeadersProvider());
        Vertx vertx = endpoint.vertx();
        HttpClientOptions clientOptions = clientOptions(endpoint.getConfiguration(), settings);
        // no pool cleaner: it sweeps idle HTTP connections (a WebSocket client has none) every second on an event-loop
        // context of its own, whose creation took the next event loop in turn, so every feed's context below landed
        // on every other loop and half of them stayed idle
        HttpClient client = vertx.createHttpClient(clientOptions, new PoolOptions().setCleanerPeriod(0));
        // what each attempt starts from; the client options themselves are not kept (Vert.x copies them into the
        // client), which leaves about a kilobyte per feed
        WebSocketConnectOptions routeOptions = endpoint.connectOptions(clientOptions);
        String routeUrl = describe(routeOptions);
        String serverUri = UriMasking.mask(routeUrl);
        boolean computeHeaders = (settings.getHandshakeHeaders() != null && !settings.getHandshakeHeaders().isEmpty())
                || settings.getHeadersProvider() != null;
        Connector connector = new Connector(vertx, routeId, client, () -> new WebSocketConnectOptions(routeOptions),
                headers, computeHeaders, new ServerUrls(camelContext, routeId, settings, routeUrl),
                settings.getConnectTimeout());
        // a context of its own, so that feeds spread over the event loops instead of sharing the starting thread's
        loop = new ConnectionLoop(vertx, VertxInternals.newEventLoopContext(vertx), settings, connector, receiver());

        SequenceGaps gaps = settings.getSequenceField() == null ? null : new SequenceGaps(settings.getSequenceField());
        ExchangeDelivery delivery = new ExchangeDelivery(consumer,
                PluginHelper.getAsyncProcessorAwaitManager(camelContext), routeId, gaps, settings.getMaxBatchSize(),
                new UndeliveredMessages(camelContext, routeId), forcedStop, this::deliveryFailed);
        handoff = handoff(settings, resume, delivery);
        status = new DeliveryStatus(handoff::pendingBytes, handoff::oldestWaitNanos);
        loop.addListener(status);
        loop.addListener(new ConnectionLogger(routeId, () -> inUse(serverUri)));
        loop.addListener(new ConnectionListener() {

            @Override
            public void onGaveUp(String reason) {
                // Camel's own way to stop a route from within it: a separate thread, since stopping waits for us
                policy.stopRouteAsync(consumer.getRoute());
            }

            @Override
            public void onCloseDeadlineNear(long connectionNumber, Duration left) {
                if (!stopping.getAsBoolean()) {
                    plannedCloseRunningOut(delivery, connectionNumber, settings.getDrainTimeout());
                }
            }
        });
        if (Boolean.TRUE.equals(settings.getLifecycleEvents())) {
            loop.addListener(new LifecycleEvents(loop, handoff::offer));
        }
        // installs the context's one stop budget, which also keeps the sink kamelets running until feeds have drained
        StopBudget stopBudget = StopBudget.of(camelContext);
        FeedRun run = new FeedRun(settings, connector, loop, handoff, previous, delivery, stopBudget, null,
                new ArrayList<>(camelContext.getRegistry().findByType(FeedObserver.class)));
        Feed feed = new Feed(routeId, serverUri, loop, settings, run::pending, status,
                gaps == null ? () -> 0 : gaps::gaps);
        return run.withFeed(feed);
    }

    /**
     * A planned reconnect whose close reply is still not in near its deadline (the route too slow for what the server
     * sent before it saw the close frame): what is left of that connection goes to the undelivered file rather than be
     * cut off by the reset. The next connection's messages go to the route as usual.
     */
    private void plannedCloseRunningOut(ExchangeDelivery delivery, long connection, Duration drainTimeout) {
        delivery.spill(connection, "connection #" + connection + " had no close reply within drainTimeout "
                + Durations.format(drainTimeout) + " and the route had not taken it");
        LOG.warn("Route '{}': connection #{} is still closing near its deadline (drainTimeout {}): what it has not"
                + " handed to the route, and what it still reads, is written to {} for replay", routeId, connection,
                Durations.format(drainTimeout), delivery.undeliveredFile());
    }

    /** Messages as they leave the socket, into the hand-off. */
    private MessageReceiver receiver() {
        return new MessageReceiver() {

            @Override
            public void onText(String text, long connection, long sequence) {
                handoff.offer(new Inbound.DataMessage(text, connection, sequence));
            }

            @Override
            public void onBinary(Buffer data, long connection, long sequence) {
                handoff.offer(new Inbound.DataMessage(data.getBytes(), connection, sequence));
            }
        };
    }

    private OrderedHandoff<Inbound> handoff(ConnectionSettings settings, Runnable resume, ExchangeDelivery delivery)
            throws Exception {
        DeliveryThreads deliveryThreads = DeliveryPool.of(camelContext, routeId);
        ConnectionLoop reading = loop;
        OrderedHandoff<Inbound> current = new OrderedHandoff<>(deliveryThreads, settings.getMaxInFlight(),
                settings.getMaxInFlightBytes(), Inbound::size, reading::pauseReading, resume, delivery,
                this::deliveryFailed);
        current.yieldWhen(deliveryThreads::othersWait);
        OrderedHandoff<?> last = DeliveryPool.handOver(camelContext, routeId, current);
        if (last != null && !last.isIdle()) {
            previous = last;
            // the last stop's drain timed out and its messages are still being processed: this start's messages
            // follow them, so that one thread at a time processes the route, in arrival order
            LOG.info(
                    "Route '{}': {} messages of the previous start are still being processed; new messages follow them",
                    routeId, last.pending());
            current.startAfter(last);
        }
        return current;
    }

    /** Processing a message threw what the delivery does not catch (an Error): seen, counted, and the feed goes on. */
    private void deliveryFailed(Throwable error) {
        deliveryFailed(error, 1, null);
    }

    /**
     * An Error the route did not handle cut off {@code messages} (a batch's): each is counted, and kept in the
     * undelivered file when it could be written there.
     */
    private void deliveryFailed(Throwable error, int messages, Path keptIn) {
        DeliveryStatus seen = status;
        if (seen != null) {
            seen.failed(error, messages);
        }
        String what = messages == 1 ? "a received message" : messages + " received messages (one exchange)";
        String fate = keptIn != null ? "written to " + keptIn + " for replay" : "lost";
        LOG.error("Route '{}': processing {} failed with {}; {}, the feed goes on and its health reports DOWN until the"
                + " route restarts", routeId, what, error.toString(), fate, error);
    }

    /** The server in use (several URLs, or one computed per connect), masked; the route's URI before the first attempt. */
    private String inUse(String routeUri) {
        String target = loop.snapshot().target();
        return target != null ? target : routeUri;
    }

    /**
     * Where the connection really goes, for logs: the endpoint's URI leaves out a default port ({@code wss://host/path}
     * shows as port 0), the connect options have it.
     */
    private static String describe(WebSocketConnectOptions options) {
        return (Boolean.TRUE.equals(options.isSsl()) ? "wss" : "ws") + "://" + options.getHost() + ":"
                + options.getPort()
                + options.getURI();
    }

    private HttpClientOptions clientOptions(VertxWebsocketConfiguration configuration, ConnectionSettings settings)
            throws Exception {
        HttpClientOptions options = configuration.getClientOptions() == null
                ? new HttpClientOptions() : new HttpClientOptions(configuration.getClientOptions());
        if (configuration.getSslContextParameters() != null) {
            TlsClientOptions.apply(camelContext, routeId, configuration.getSslContextParameters(), options);
        }
        options.setMaxWebSocketMessageSize(settings.getMaxMessageSize());
        options.setMaxWebSocketFrameSize(settings.getMaxMessageSize());
        options.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.getConnectTimeout().toMillis()));
        // the loop owns the wait for the close reply (a stop's budget, drainTimeout for a planned reconnect): Vert.x's
        // own closing timeout (10 s) would reset the socket under it and drop what the server sent before our close;
        // it stays only as a backstop, past the longest deadline the loop sets
        options.setWebSocketClosingTimeout(
                (int) Math.min(Integer.MAX_VALUE, settings.getDrainTimeout().toSeconds() + CLOSING_BACKSTOP_SECONDS));
        if (settings.getProxy() != null) {
            options.setProxyOptions(ProxySetting.options(routeId, settings.getProxy()));
            LOG.info("Route '{}': connecting through proxy {}", routeId, ProxySetting.display(settings.getProxy()));
        }
        return options;
    }

    private static WsListenerRoutePolicy policyOf(Route route) {
        if (route != null) {
            for (RoutePolicy policy : route.getRoutePolicyList()) {
                if (policy instanceof WsListenerRoutePolicy ours) {
                    return ours;
                }
            }
        }
        // no policy named: the wslistener.* properties and built-in defaults apply
        return NO_POLICY;
    }
}
