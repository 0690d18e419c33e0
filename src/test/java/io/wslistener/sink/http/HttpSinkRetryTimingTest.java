package io.wslistener.sink.http;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.wslistener.sink.SinkFiles;
import io.wslistener.support.Backoff;
import io.wslistener.support.StopBudget;
import io.wslistener.testsupport.HttpTestServer;
import io.wslistener.testsupport.LogCapture;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retry timing of the HTTP sink: Retry-After is honoured within initialDelay..maxDelay (never a day, never a hot
 * loop), zero timeouts are refused, and an ingest URL's secrets stay out of logs and dead letters.
 */
class HttpSinkRetryTimingTest {

    @TempDir
    Path dir;
    private HttpTestServer server;
    private CamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private CamelContext sinkRoute(String url, String options) throws Exception {
        return YamlCamel.create().property("dir", dir).property("url", url).start("""
                - route:
                    from:
                      uri: direct:in
                      steps:
                        - to: "sink-http:ingest?url=RAW({{url}})&deadLetterDirectory={{dir}}/dead-letter%s"
                """.formatted(options));
    }

    @Test
    void aRetryAfterOfADayIsCappedByMaxDelayAndTheLogSaysSo() throws Exception {
        server = new HttpTestServer().start().respondWithRetryAfter(503, "86400");
        try (LogCapture log = new LogCapture(HttpDelivery.class.getName())) {
            context = sinkRoute(server.url("/ingest"), "&initialDelay=100ms&maxDelay=300ms");
            context.createProducerTemplate().sendBody("direct:in", "{\"n\":1}");

            await().atMost(Duration.ofSeconds(10)).until(() -> server.acceptedBodies().equals(List.of("{\"n\":1}")));
            assertTrue(log.contains("WARN", "Retry-After 86400 -> 300 ms"), log.lines().toString());
        }
    }

    @Test
    void aRetryAfterOfZeroWaitsTheBackoffInsteadOfRetryingInAHotLoop() throws Exception {
        server = new HttpTestServer().start().respondWithRetryAfter(503, "0").respondWithRetryAfter(503, "0");
        context = sinkRoute(server.url("/ingest"), "&initialDelay=200ms&multiplier=1.0&maxDelay=200ms");
        context.createProducerTemplate().sendBody("direct:in", "{\"n\":1}");

        await().atMost(Duration.ofSeconds(10)).until(() -> server.acceptedBodies().size() == 1);
        assertEquals(3, server.requests().size(), "two refusals, then the delivery");
        assertTrue(server.requests().stream().allMatch(r -> r.body().equals("{\"n\":1}")));
    }

    @Test
    void retryAfterValuesThatWouldHotLoopOrStallAreBoundedByTheBackoffAndMaxDelay() {
        Clock clock = Clock.fixed(Instant.parse("2025-01-31T10:00:00Z"), ZoneOffset.UTC);
        HttpDelivery delivery = new HttpDelivery("x", 1, 1, 1 << 20, 5, new Backoff(Duration.ofMillis(500), 2.0,
                Duration.ofSeconds(30), 0), 30_000, Duration.ofSeconds(1), StopBudget.of(new DefaultCamelContext()),
                batch -> HttpAttempt.DELIVERED, (messages, attempts, status, cause) -> {
                }, null);
        String past = DateTimeFormatter.RFC_1123_DATE_TIME
                .format(Instant.parse("2025-01-30T10:00:00Z").atZone(ZoneOffset.UTC));
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.parse("2025-01-31T10:00:10Z")
                .atZone(ZoneOffset.UTC));
        assertEquals(500, delivery.retryDelay(attempt("0", clock), 1), "0: the backoff's delay");
        assertEquals(500, delivery.retryDelay(attempt(past, clock), 1), "a date in the past: the backoff's delay");
        assertEquals(30_000, delivery.retryDelay(attempt("99999999999999999999999", clock), 1), "overflow: maxDelay");
        assertEquals(30_000, delivery.retryDelay(attempt("9223372036854775807", clock), 1), "long overflow: maxDelay");
        assertEquals(30_000, delivery.retryDelay(attempt("86400", clock), 1), "a day: maxDelay");
        assertEquals(10_000, delivery.retryDelay(attempt(inTenSeconds, clock), 1), "a date: honoured");
        assertEquals(2_000, delivery.retryDelay(attempt("2", clock), 1), "seconds: honoured");
        assertEquals(1_000, delivery.retryDelay(attempt("junk", clock), 2), "unreadable: the backoff's delay");
    }

    private static HttpAttempt attempt(String retryAfter, Clock clock) {
        long millis = HttpAttempt.retryAfterMillis(retryAfter, clock);
        return new HttpAttempt(false, 503, millis, millis < 0 ? null : retryAfter, true, null);
    }

    @Test
    void zeroTimeoutsAndDelaysAreRefusedNamingTheOption() {
        for (String option : List.of("connectTimeout", "responseTimeout", "initialDelay")) {
            Exception error = assertThrows(Exception.class,
                    () -> sinkRoute("http://127.0.0.1:1/ingest", "&" + option + "=0"));
            String causes = causes(error);
            assertTrue(causes.contains("sink-http:ingest: " + option + " must be more than 0"), causes);
            assertTrue(causes.contains("route"), "Camel names the route: " + causes);
        }
        Exception lenient = assertThrows(Exception.class,
                () -> sinkRoute("http://127.0.0.1:1/ingest", "&maxDelay=-5s"));
        assertTrue(causes(lenient).contains("maxDelay must be a duration of 0 or more"), causes(lenient));
    }

    @Test
    void theIngestUrlsSecretsStayOutOfTheLogAndTheDeadLetter() throws Exception {
        server = new HttpTestServer().start().defaultStatus(400);
        try (LogCapture log = new LogCapture(HttpDelivery.class.getName())) {
            context = sinkRoute(server.url("/ingest?key=s3cr3tK3y&sig=s1gn4ture&feed=quotes"), "");
            context.createProducerTemplate().sendBody("direct:in", "{\"n\":1}");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !SinkFiles.linesOfAll(dir.resolve("dead-letter"), ".jsonl").isEmpty());
            String deadLetter = SinkFiles.linesOfAll(dir.resolve("dead-letter"), ".jsonl").get(0);
            assertTrue(deadLetter.contains("feed=quotes"), "the URL is still there to read: " + deadLetter);
            assertFalse(deadLetter.contains("s3cr3tK3y") || deadLetter.contains("s1gn4ture"), deadLetter);
            assertFalse(log.lines().isEmpty());
            assertFalse(log.lines().toString().contains("s3cr3tK3y") || log.lines().toString().contains("s1gn4ture"),
                    log.lines().toString());
        }
    }

    @Test
    void secretHeadersAreSentButMaskedInTheEndpointUriCamelPrints() throws Exception {
        server = new HttpTestServer().start();
        context = sinkRoute(server.url("/ingest"),
                "&headers=RAW(X-Feed: quotes)&secretHeaders=RAW(Authorization: Bearer t0k3n)");
        context.createProducerTemplate().sendBody("direct:in", "{\"n\":1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.acceptedBodies().size() == 1);

        assertEquals("Bearer t0k3n", server.requests().get(0).header("Authorization"));
        assertEquals("quotes", server.requests().get(0).header("X-Feed"));
        String printed = org.apache.camel.util.URISupport.sanitizeUri(context.getEndpoints().stream()
                .filter(HttpSinkEndpoint.class::isInstance).findFirst().orElseThrow().getEndpointUri());
        assertFalse(printed.contains("t0k3n"), printed);
    }

    static String causes(Throwable error) {
        StringBuilder causes = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            causes.append(t.getMessage()).append('\n');
        }
        return causes.toString();
    }
}
