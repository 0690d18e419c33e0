package io.wslistener.support;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.kamelet.Kamelet;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * The routes kamelets create for the routes that use them. Camel keeps the using route's id as the kamelet route's
 * template parameter {@link Kamelet#PARENT_ROUTE_ID}; the route's own {@code parent} property is not an id.
 */
public final class KameletRoutes {

    private KameletRoutes() {
    }

    /** The route that used the kamelet which created {@code routeId}, or null when no kamelet created it. */
    public static String parentOf(CamelContext camelContext, String routeId) {
        Route route = camelContext.getRoute(routeId);
        Model model = camelContext.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition definition = route != null && route.isCreatedByKamelet() && model != null
                ? model.getRouteDefinition(routeId) : null;
        Object parent = definition == null || definition.getTemplateParameters() == null
                ? null : definition.getTemplateParameters().get(Kamelet.PARENT_ROUTE_ID);
        return parent instanceof String parentId && !parentId.isBlank() ? parentId : null;
    }

    /** The routes kamelets created for {@code routeId} (their own kamelets' routes not included). */
    public static List<String> childrenOf(CamelContext camelContext, String routeId) {
        return camelContext.getRoutes().stream().filter(Route::isCreatedByKamelet).map(Route::getRouteId)
                .filter(id -> routeId.equals(parentOf(camelContext, id))).toList();
    }
}
