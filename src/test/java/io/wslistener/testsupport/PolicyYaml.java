package io.wslistener.testsupport;

/**
 * YAML for tests of policy settings: a policy bean {@code feedPolicy} and a route {@code quotes} that names it.
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
}
