package io.wslistener.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A routes file with many feeds: the route template of a shipped example, as shipped, followed by one
 * {@code templatedRoute} entry per feed, each on a path of its own.
 *
 * @param example    the example file; its template is everything before its first templatedRoute entry
 * @param templateId the id of its route template
 */
public record ManyFeedsYaml(Path example, String templateId) {

    /** {@code examples/many-feeds/feeds.yaml}. */
    public static final ManyFeedsYaml PLAIN = new ManyFeedsYaml(Path.of("examples/many-feeds/feeds.yaml"), "ws-feed");
    /** {@code examples/many-feeds/clustered/feeds.yaml}: the feeds spread over the instances (a FeedSpreadPolicy). */
    public static final ManyFeedsYaml CLUSTERED = new ManyFeedsYaml(Path.of("examples/many-feeds/clustered/feeds.yaml"),
            "clustered-ws-feed");

    public static String feedId(int feed) {
        return String.format("feed-%04d", feed);
    }

    public static String path(int feed) {
        return "/feeds/" + feed;
    }

    public String feeds(int count, String host, int port) {
        StringBuilder yaml = new StringBuilder(template());
        for (int i = 1; i <= count; i++) {
            yaml.append("""
                    - templatedRoute:
                        routeTemplateRef: %s
                        routeId: %s
                        parameters:
                          - name: feedId
                            value: %s
                          - name: uri
                            value: "ws-listener:%s:%d%s"
                    """.formatted(templateId, feedId(i), feedId(i), host, port, path(i)));
        }
        return yaml.toString();
    }

    private String template() {
        try {
            String text = Files.readString(example);
            int firstEntry = text.indexOf("- templatedRoute:");
            if (firstEntry < 0) {
                throw new IllegalStateException(example + " has no templatedRoute entry to cut at");
            }
            return text.substring(0, firstEntry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
