package io.wslistener.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Reads camel-main's management server over real HTTP: the Prometheus scrape and the health endpoints.
 */
public final class ManagementClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port;

    public ManagementClient(int port) {
        this.port = port;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(path, null);
    }

    /** A GET with this Accept header (null: none), as the dev console chooses text or JSON by it. */
    public HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/observe/metrics");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("scrape answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * The value of the sample {@code name} whose labels include every {@code label="value"} given, or empty when the
     * scrape has no such sample.
     */
    public static OptionalDouble sample(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            int open = line.indexOf('{');
            int close = line.lastIndexOf('}');
            String labelText = open < 0 ? "" : line.substring(open + 1, close);
            boolean all = Arrays.stream(labels).allMatch(l -> ("," + labelText + ",").contains("," + l + ","));
            if (all) {
                String value = line.substring((close < 0 ? name.length() : close + 1)).trim().split(" ")[0];
                return OptionalDouble.of(Double.parseDouble(value));
            }
        }
        return OptionalDouble.empty();
    }

    /** {@link #sample} of a fresh scrape, NaN when absent (so that an await on a value keeps waiting). */
    public double value(String name, String... labels) throws IOException, InterruptedException {
        return sample(scrape(), name, labels).orElse(Double.NaN);
    }
}
