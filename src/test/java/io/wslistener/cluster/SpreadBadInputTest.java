package io.wslistener.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

import io.wslistener.app.WsListenerApplication;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A FeedSpreadPolicy that cannot work stops the application at start, with a message that names the route and the
 * option: a shard count below 1, a template without the id parameter, two templates in one namespace, two feeds with
 * one id, spreading over the file lock (which lists no members). The file-lock cluster service stands in for any:
 * these are refused before any leadership is asked for.
 */
class SpreadBadInputTest {

    @TempDir
    Path dir;

    @Test
    void aShardCountBelowOneIsRefused() throws Exception {
        String message = startupFailure(policy("shards: 0") + template("ws-feed", "feedSpread", "feedId")
                + feed("ws-feed", "feed-1", "feedId"));
        assertTrue(message.contains("Route 'feed-1'") && message.contains("shards=0"), message);
    }

    @Test
    void aTemplateWithoutTheIdParameterIsRefused() throws Exception {
        String message = startupFailure(policy("idParameter: feedId") + template("ws-feed", "feedSpread", "name")
                + feed("ws-feed", "feed-1", "name"));
        assertTrue(message.contains("Route 'feed-1'") && message.contains("idParameter")
                && message.contains("no parameter 'feedId'"), message);
    }

    @Test
    void twoTemplatesInOneNamespaceAreRefused() throws Exception {
        String yaml = policy("namespace: feeds") + policy("namespace: feeds").replace("feedSpread", "otherSpread")
                + template("ws-feed", "feedSpread", "feedId") + template("other-feed", "otherSpread", "feedId")
                + feed("ws-feed", "feed-1", "feedId") + feed("other-feed", "feed-2", "feedId");
        String message = startupFailure(yaml);
        assertTrue(message.contains("Route 'feed-2'") && message.contains("namespace")
                && message.contains("'feeds' is already the namespace of another FeedSpreadPolicy"), message);
    }

    @Test
    void twoFeedsWithOneIdAreRefused() throws Exception {
        String yaml = policy("shards: 8") + template("ws-feed", "feedSpread", "feedId")
                + feed("ws-feed", "feed-1", "feedId") + feed("ws-feed", "feed-2", "feedId").replace(
                        "value: feed-2", "value: feed-1");
        String message = startupFailure(yaml);
        assertTrue(message.contains("Route 'feed-2'") && message.contains("idParameter")
                && message.contains("also the id of route 'feed-1'"), message);
    }

    @Test
    void spreadingOverTheFileLockIsRefused() throws Exception {
        String message = startupFailure(policy("spread: true") + template("ws-feed", "feedSpread", "feedId")
                + feed("ws-feed", "feed-1", "feedId"));
        assertTrue(message.contains("Route 'feed-1'") && message.contains("spread")
                && message.contains("lists none"), message);
    }

    private String startupFailure(String yaml) throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("feeds.yaml"), yaml);
        Path properties = ClusterTestFiles.properties(dir,
                "camel.main.routesIncludePattern = file:" + routes.resolve("feeds.yaml")
                        + ",file:examples/cluster/cluster-service.yaml",
                "feed.cluster.root = " + dir.resolve("locks"));
        Main main = WsListenerApplication.createMain(new String[]{ "--properties", properties.toString() });
        Exception failure = assertThrows(Exception.class, () -> {
            try {
                main.start();
            } finally {
                main.stop();
            }
        });
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }

    /** A FeedSpreadPolicy bean named feedSpread with this option, and spread off unless the option sets it. */
    private static String policy(String option) {
        return """
                - beans:
                    - name: feedSpread
                      type: "#class:io.wslistener.cluster.FeedSpreadPolicy"
                      properties:
                        %s
                """.formatted(option.startsWith("spread:") ? option : option + "\n        spread: false");
    }

    private static String template(String id, String policy, String idParameter) {
        return """
                - routeTemplate:
                    id: %s
                    parameters:
                      - name: %s
                    route:
                      routePolicy: %s
                      from:
                        uri: "ws-listener:127.0.0.1:1/{{%s}}"
                        steps:
                          - log: "{{%s}}"
                """.formatted(id, idParameter, policy, idParameter, idParameter);
    }

    private static String feed(String template, String routeId, String idParameter) {
        return """
                - templatedRoute:
                    routeTemplateRef: %s
                    routeId: %s
                    parameters:
                      - name: %s
                        value: %s
                """.formatted(template, routeId, idParameter, routeId);
    }
}
