package io.wslistener.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A routes file with many feeds: the route template of {@code examples/many-feeds/feeds.yaml}, as shipped, followed
 * by one {@code templatedRoute} entry per feed, each on a path of its own.
 */
public final class ManyFeedsYaml {

    /** The shipped example; its template is everything before the first templatedRoute entry. */
    public static final Path EXAMPLE = Path.of("examples/many-feeds/feeds.yaml");

    private ManyFeedsYaml() {
    }

    public static String feedId(int feed) {
        return String.format("feed-%04d", feed);
    }

    public static String path(int feed) {
        return "/feeds/" + feed;
    }

    public static String feeds(int count, String host, int port) {
        StringBuilder yaml = new StringBuilder(template());
        for (int i = 1; i <= count; i++) {
            yaml.append("""
                    - templatedRoute:
                        routeTemplateRef: ws-feed
                        routeId: %s
                        parameters:
                          - name: feedId
                            value: %s
                          - name: uri
                            value: "ws-listener:%s:%d%s"
                    """.formatted(feedId(i), feedId(i), host, port, path(i)));
        }
        return yaml.toString();
    }

    private static String template() {
        try {
            String example = Files.readString(EXAMPLE);
            int firstEntry = example.indexOf("- templatedRoute:");
            if (firstEntry < 0) {
                throw new IllegalStateException(EXAMPLE + " has no templatedRoute entry to cut at");
            }
            return example.substring(0, firstEntry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
