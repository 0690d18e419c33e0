package io.wslistener.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.ConnectionState;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.sink.deadletter.DeadLetterRecord;
import io.wslistener.source.WsListenerConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * A CamelContext with routes and beans from YAML text, loaded the way the application loads its route files.
 *
 * <p>Either made and started in one go ({@code YamlCamel.create().property("dir", dir).start(yaml)}, the caller stops
 * the context), or one per test as a JUnit extension that stops it after each test:</p>
 * <pre>
 * private final WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
 * &#64;RegisterExtension
 * final YamlCamel yamlCamel = YamlCamel.create().shutdownTimeout(5).bean("policy", policy);
 * private final CamelContext camel = yamlCamel.context();
 * </pre>
 * <p>The context is created at once, so properties and beans can be given until it starts. Tests that bring their
 * own context load YAML into it with {@link #load(CamelContext, String)}.</p>
 * <p>The consumer tests share one setup: {@link #forFeed} binds their policy, {@link #startFeed} starts the route
 * {@value #FEED} from a server on 127.0.0.1 into the test's steps, {@link #awaitFeedOpen()} waits for its
 * connection.</p>
 * <p>The undelivered files ({@code wslistener.undelivered.directory}) go to a directory of the test's own, deleted with
 * the context; {@link #undelivered()} reads what they hold.</p>
 */
public final class YamlCamel implements AfterEachCallback, AutoCloseable {

    /** The route id of {@link #startFeed}. */
    public static final String FEED = "feed";
    /** The bean name of the policy {@link #forFeed} binds and {@link #startFeed} uses. */
    public static final String FEED_POLICY = "policy";
    private static final String UNDELIVERED_DIRECTORY = "wslistener.undelivered.directory";

    private final CamelContext context = new DefaultCamelContext();
    private final Properties properties = new Properties();
    private final List<Object> received = new CopyOnWriteArrayList<>();
    private final Path undeliveredDirectory;
    private Vertx serverVertx;

    private YamlCamel() {
        context.getPropertiesComponent().setInitialProperties(properties);
        context.getShutdownStrategy().setTimeout(20);
        try {
            undeliveredDirectory = Files.createTempDirectory("ws-undelivered");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.setProperty(UNDELIVERED_DIRECTORY, undeliveredDirectory.toString());
    }

    /** A context, not started yet, with a shutdown timeout of 20 s. */
    public static YamlCamel create() {
        return new YamlCamel();
    }

    /**
     * A context for a consumer test, not started yet: a shutdown timeout of 5 s, and {@code policy} bound as
     * {@value #FEED_POLICY} for the route of {@link #startFeed} (the test changes its settings until the start).
     */
    public static YamlCamel forFeed(WsListenerRoutePolicy policy) {
        return create().shutdownTimeout(5).bean(FEED_POLICY, policy);
    }

    /** Loads YAML routes and beans into a context of the caller's, as the application loads a route file. */
    public static void load(CamelContext context, String yaml) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
    }

    /** A property for {@code {{name}}} placeholders (taken until the context starts). */
    public YamlCamel property(String name, Object value) {
        properties.setProperty(name, String.valueOf(value));
        return this;
    }

    /** The properties of {@link #property}, live: a test may set more until the context starts. */
    public Properties properties() {
        return properties;
    }

    /** Binds a bean in the registry. */
    public YamlCamel bean(String name, Object bean) {
        context.getRegistry().bind(name, bean);
        return this;
    }

    /** Binds a processor under this name that records every message body; see {@link #received()}. */
    public YamlCamel recordBodiesAs(String beanName) {
        return bean(beanName, (Processor) exchange -> received.add(exchange.getMessage().getBody()));
    }

    /** Seconds a graceful stop waits for in-flight exchanges before forcing. */
    public YamlCamel shutdownTimeout(long seconds) {
        context.getShutdownStrategy().setTimeout(seconds);
        return this;
    }

    /** Does something to the context before routes are loaded (a log listener, a component, ...). */
    public YamlCamel configure(Consumer<CamelContext> configurer) {
        configurer.accept(context);
        return this;
    }

    public CamelContext context() {
        return context;
    }

    /** Loads YAML routes and beans, without starting. */
    public YamlCamel load(String yaml) throws Exception {
        load(context, yaml);
        return this;
    }

    /** Loads YAML routes and beans and starts the context. */
    public CamelContext start(String yaml) throws Exception {
        load(yaml);
        return start();
    }

    /** Adds Java DSL routes and starts the context. */
    public CamelContext start(RouteBuilder routes) throws Exception {
        context.addRoutes(routes);
        return start();
    }

    public CamelContext start() {
        context.start();
        return context;
    }

    /**
     * Starts the context with the route the consumer tests share: id {@value #FEED}, from
     * {@code ws-listener:127.0.0.1:<port>/feed} with the {@value #FEED_POLICY} bean as its route policy, into
     * {@code steps}.
     */
    public CamelContext startFeed(int port, Processor steps) throws Exception {
        return start(new RouteBuilder() {

            @Override
            public void configure() {
                from("ws-listener:127.0.0.1:" + port + "/feed").routeId(FEED).routePolicyRef(FEED_POLICY)
                        .process(steps);
            }
        });
    }

    /** The connection loop of the route {@value #FEED}. */
    public ConnectionLoop feedLoop() {
        return consumer(FEED).getLoop();
    }

    /** Waits (5 s at most) until the route {@value #FEED} is connected; returns its loop. */
    public ConnectionLoop awaitFeedOpen() {
        ConnectionLoop loop = feedLoop();
        await().atMost(5, TimeUnit.SECONDS).until(() -> loop.state() == ConnectionState.OPEN);
        return loop;
    }

    /** The ws-listener consumer of a route. */
    public WsListenerConsumer consumer(String routeId) {
        return (WsListenerConsumer) context.getRoute(routeId).getConsumer();
    }

    /** The bodies recorded by the {@link #recordBodiesAs} processor, in arrival order (live). */
    public List<Object> received() {
        return received;
    }

    /**
     * What the undelivered files hold, message by message in file order (a text as a String, a binary message as
     * bytes): the received messages a stop or an Error kept for replay.
     */
    public List<Object> undelivered() {
        return undeliveredIn("");
    }

    /** What the undelivered files of one route hold, as {@link #undelivered()}. */
    public List<Object> undelivered(String routeId) {
        return undeliveredIn(routeId + "-undelivered-");
    }

    private List<Object> undeliveredIn(String fileNamePrefix) {
        Path directory = Path.of(properties.getProperty(UNDELIVERED_DIRECTORY));
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Object> messages = new ArrayList<>();
        try (var files = Files.list(directory)) {
            for (Path file : files.map(Path::getFileName).map(Path::toString)
                    .filter(name -> name.startsWith(fileNamePrefix) && name.endsWith(".jsonl")).sorted()
                    .map(directory::resolve).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        messages.add(DeadLetterRecord.originalMessage(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return messages;
    }

    /** The String bodies among {@link #received()}. */
    public List<String> texts() {
        return received.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }

    /**
     * A Vert.x instance of the test's own for servers, so that they never share an event loop with the consumer under
     * test; closed after the context.
     */
    public synchronized Vertx serverVertx() {
        if (serverVertx == null) {
            serverVertx = Vertx.vertx();
        }
        return serverVertx;
    }

    /** Waits (10 s at most) for a Vert.x future, e.g. a server's listen. */
    public static <T> T join(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void afterEach(ExtensionContext extension) throws Exception {
        close();
    }

    /** Stops the context, then closes {@link #serverVertx()} if it was made. */
    @Override
    public void close() throws Exception {
        try {
            context.stop();
        } finally {
            Vertx vertx;
            synchronized (this) {
                vertx = serverVertx;
                serverVertx = null;
            }
            if (vertx != null) {
                join(vertx.close());
            }
            deleteUndelivered();
        }
    }

    private void deleteUndelivered() throws IOException {
        if (Files.isDirectory(undeliveredDirectory)) {
            try (var paths = Files.walk(undeliveredDirectory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
