package io.wslistener.metrics;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.wslistener.spi.FeedObserver;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A host without camel-micrometer, camel-health, camel-console and camel-management: the plugin must attach only the
 * summary and the feed status, and a ws-listener route must run, with no class of the missing libraries ever loaded.
 * Proven in a class loader whose classpath really lacks them.
 */
class WithoutOptionalLibrariesTest {

    @TempDir
    Path dir;

    @Test
    void aContextWithoutMicrometerOrHealthStartsAFeedWithTheSummaryOnly() throws Exception {
        // the feed status (read by the dev console and JMX, when they are there) needs no optional library either
        assertEquals("observers=[FeedStatuses, FeedSummaryLogger] route=Started", runIsolated(Host.class, "run"));
    }

    @Test
    void theSinksWriteWithoutMicrometer() throws Exception {
        // the sinks look their meters up for every new route: without micrometer that must cost nothing but NONE
        assertEquals("written=3", runIsolated(SinkHost.class, "run", dir.toString()));
        assertEquals(3, Files.readAllLines(dir.resolve("feed.jsonl")).size());
    }

    /** Calls a static method of a class loaded in a class loader whose classpath lacks the optional libraries. */
    private static Object runIsolated(Class<?> host, String method, String... args) throws Exception {
        List<URL> urls = new ArrayList<>();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classpath.split(File.pathSeparator)) {
            String name = new File(entry).getName();
            boolean optional = name.contains("micrometer") || name.contains("prometheus")
                    || name.startsWith("camel-health")
                    || name.startsWith("camel-console") || name.matches("camel-management-\\d.*");
            if (!optional && !entry.isBlank()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class,
                    () -> isolated.loadClass("io.micrometer.core.instrument.MeterRegistry"), "the isolation works");
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(isolated);
            try {
                Class<?>[] types = new Class<?>[args.length];
                Arrays.fill(types, String.class);
                return isolated.loadClass(host.getName()).getMethod(method, types).invoke(null, (Object[]) args);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    /** Runs inside the isolated class loader. */
    public static final class Host {

        public static String run() throws Exception {
            // not built yet: plugins are discovered through this class loader while the context builds
            try (CamelContext context = new DefaultCamelContext(false)) {
                context.setApplicationContextClassLoader(Host.class.getClassLoader());
                context.build();
                context.addRoutes(new RouteBuilder() {

                    @Override
                    public void configure() {
                        from("ws-listener:127.0.0.1:9/feed").routeId("feed").to("log:feed?level=OFF");
                    }
                });
                context.start();
                List<String> observers = context.getRegistry().findByType(FeedObserver.class).stream()
                        .map(o -> o.getClass().getSimpleName()).sorted().toList();
                return "observers=" + observers + " route=" + context.getRouteController().getRouteStatus("feed");
            }
        }
    }

    /** Runs inside the isolated class loader: a route into the file sink, counted by nothing. */
    public static final class SinkHost {

        public static String run(String dir) throws Exception {
            try (CamelContext context = new DefaultCamelContext(false)) {
                context.setApplicationContextClassLoader(SinkHost.class.getClassLoader());
                context.build();
                context.addRoutes(new RouteBuilder() {

                    @Override
                    public void configure() {
                        from("direct:in").routeId("relay").to("sink-file:" + dir + "?fileName=feed.jsonl");
                    }
                });
                context.start();
                ProducerTemplate template = context.createProducerTemplate();
                for (int n = 1; n <= 3; n++) {
                    template.sendBodyAndHeader("direct:in", "{\"n\":" + n + "}", "CamelWsListenerRouteId", "quotes");
                }
                context.stop();
                return "written=" + Files.readAllLines(Path.of(dir, "feed.jsonl")).size();
            }
        }
    }
}
