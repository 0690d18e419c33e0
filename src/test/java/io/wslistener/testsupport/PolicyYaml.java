package io.wslistener.testsupport;

/**
 * YAML for tests of policy settings: a policy bean {@code feedPolicy} and a route {@code quotes} that names it; and a
 * plain route, with no policy of its own.
 */
public final class PolicyYaml {

    private PolicyYaml() {
    }

    /** @param policyProperties the bean's property lines, indented for their place under {@code properties:} */
    public static String routeWithPolicy(String policyProperties) {
        return """
                - beans:
                    - name: feedPolicy
                      type: "#class:io.wslistener.policy.WsListenerRoutePolicy"
                      properties:
                        %s
                """.formatted(policyProperties) + """
                - route:
                    id: quotes
                    routePolicy: feedPolicy
                    from:
                      uri: "ws-listener:127.0.0.1:1/feed"
                      steps:
                        - to: "log:quotes"
                """;
    }

    /** A route {@code routeId} from {@code uri} into a log that prints nothing, started with the context or not. */
    public static String plainRoute(String routeId, String uri, boolean autoStartup) {
        return """
                - route:
                    id: %s
                    autoStartup: %s
                    from:
                      uri: "%s"
                      steps:
                        - to: "log:%s?level=OFF"
                """.formatted(routeId, autoStartup, uri, routeId);
    }
}
