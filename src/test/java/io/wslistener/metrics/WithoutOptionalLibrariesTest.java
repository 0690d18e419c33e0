package io.wslistener.metrics;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import io.wslistener.source.FeedObserver;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A host without camel-micrometer and camel-health: the plugin must attach only the summary and a ws-listener route
 * must run, with no class of the missing libraries ever loaded. Proven in a class loader whose classpath really lacks
 * them.
 */
class WithoutOptionalLibrariesTest {

    @Test
    void aContextWithoutMicrometerOrHealthStartsAFeedWithTheSummaryOnly() throws Exception {
        List<URL> urls = new ArrayList<>();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classpath.split(File.pathSeparator)) {
            String name = new File(entry).getName();
            boolean optional = name.contains("micrometer") || name.contains("prometheus") || name.startsWith("camel-health");
            if (!optional && !entry.isBlank()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class,
                    () -> isolated.loadClass("io.micrometer.core.instrument.MeterRegistry"), "the isolation works");
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(isolated);
            Object result;
            try {
                result = isolated.loadClass(Host.class.getName()).getMethod("run").invoke(null);
            } finally {
                thread.setContextClassLoader(previous);
            }
            assertEquals("observers=[FeedSummaryLogger] route=Started", result);
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
}
