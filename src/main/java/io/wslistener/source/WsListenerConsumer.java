package io.wslistener.source;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.MessageReceiver;
import io.wslistener.connection.VertxInternals;
import io.wslistener.policy.ConnectionSettings;
import io.wslistener.policy.HandshakeHeaders;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.spi.DeliveryStatus;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;
import io.wslistener.spi.FeedStatus;
import io.wslistener.spi.FeedStatuses;
import io.wslistener.support.Durations;
import io.wslistener.support.StopBudget;
import io.wslistener.support.UriMasking;
import io.wslistener.support.WsListenerConstants;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.Suspendable;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConfiguration;
import org.apache.camel.spi.AsyncProcessorAwaitManager;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.ShutdownAware;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ws-listener WebSocket client consumer: a thin adapter that builds the {@link ConnectionLoop} from the route's
 * settings, and turns messages into exchanges processed one after another in arrival order.
 * <p>
 * The route starts even when the server is down; the loop keeps trying in the background. On a graceful stop reading
 * is paused first, what was received is processed, and only then is the socket closed with 1000.
 */
@ManagedResource(description = "Managed ws-listener WebSocket consumer")
public class WsListenerConsumer extends DefaultConsumer implements ShutdownAware, Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(WsListenerConsumer.class);

    private ConnectionSettings settings;
    private HandshakeHeaders handshakeHeaders;
    private HttpClientOptions clientOptions;
    private HttpClient client;
    private volatile ConnectionLoop loop;
    private volatile OrderedHandoff<Inbound> handoff;
    private DeliveryStatus delivery;
    private Feed feed;
    private List<FeedObserver> observers = List.of();
    private volatile boolean draining;
    // Camel's graceful shutdown (deferShutdown) already drained and closed: doStop/doSuspend have nothing left to do
    private volatile boolean closedForShutdown;
    private SequenceGaps sequenceGaps;
    // Camel forced the stop (shutdownTimeout reached): what the hand-off still holds goes to the dead letter
    private volatile boolean forcedStop;
    private volatile UndeliveredMessages undelivered;
    private volatile StopBudget stopBudget;
    // runs the route and waits should it go asynchronous, as Camel's own Processor.process does
    private AsyncProcessorAwaitManager awaitManager;

    /** A message as it left the socket; the exchange is made on the delivery thread, to keep the event loop lean. */
    private record Inbound(Object body, long connection, long sequence) {

        /** The weight against maxInFlightBytes: characters of a text (its bytes for ASCII), bytes of a binary. */
        long size() {
            // a lifecycle event (lifecycleEvents) carries no payload
            return body instanceof String text ? text.length() : body instanceof byte[] bytes ? bytes.length : 0;
        }
    }

    public WsListenerConsumer(WsListenerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public WsListenerEndpoint getEndpoint() {
        return (WsListenerEndpoint) super.getEndpoint();
    }

    /** The feed's connection loop, or null before the first start. */
    public ConnectionLoop getLoop() {
        return loop;
    }

    /** The feed as observers see it, or null before the first start. */
    public Feed getFeed() {
        return feed;
    }

    /** The settings the feed runs with, or null before the first start. */
    public ConnectionSettings getSettings() {
        return settings;
    }

    /** Messages received and not yet processed. */
    public int getInFlight() {
        return handoff == null ? 0 : handoff.pending();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String routeId = getRouteId();
        WsListenerRoutePolicy policy = policyOf(getRoute());
        settings = policy.settingsFor(routeId, getEndpoint().getCamelContext());
        handshakeHeaders = new HandshakeHeaders(getEndpoint().getCamelContext(), routeId,
                settings.getHandshakeHeaders(),
                settings.getHeadersProvider());

        Vertx vertx = getEndpoint().vertx();
        clientOptions = clientOptions(getEndpoint().getConfiguration());
        // no pool cleaner: it sweeps idle HTTP connections (a WebSocket client has none) every second on an event-loop
        // context of its own, whose creation took the next event loop in turn, so every feed's context below landed
        // on every other loop and half of them stayed idle
        client = vertx.createHttpClient(clientOptions, new PoolOptions().setCleanerPeriod(0));
        ExecutorService deliveryExecutor = DeliveryPool.of(getEndpoint().getCamelContext());
        awaitManager = PluginHelper.getAsyncProcessorAwaitManager(getEndpoint().getCamelContext());

        // a context of its own, so that feeds spread over the event loops instead of sharing the starting thread's
        io.vertx.core.Context context = VertxInternals.newEventLoopContext(vertx);
        String routeUrl = describe(getEndpoint().connectOptions(clientOptions));
        String serverUri = UriMasking.mask(routeUrl);
        Connector connector = new Connector(vertx, client, () -> getEndpoint().connectOptions(clientOptions),
                handshakeHeaders, new ServerUrls(getEndpoint().getCamelContext(), routeId, settings.getServerUrls(),
                        settings.getUrlProvider(), routeUrl),
                settings.getConnectTimeout());
        loop = new ConnectionLoop(vertx, context, settings, connector, new Receiver());
        loop.addListener(connector);
        OrderedHandoff<Inbound> current = new OrderedHandoff<>(deliveryExecutor, settings.getMaxInFlight(),
                settings.getMaxInFlightBytes(), Inbound::size, () -> loop.pauseReading(), this::resumeUnlessDraining,
                worker(settings.getMaxBatchSize()), this::deliveryFailed);
        handoff = current;
        OrderedHandoff<?> previous = DeliveryPool.handOver(getEndpoint().getCamelContext(), routeId, current);
        if (previous != null && !previous.isIdle()) {
            // the last stop's drain timed out and its messages are still being processed: this start's messages
            // follow them, so that one thread at a time processes the route, in arrival order
            LOG.info(
                    "Route '{}': {} messages of the previous start are still being processed; new messages follow them",
                    routeId, previous.pending());
            current.startAfter(previous);
        }
        delivery = new DeliveryStatus(current::pendingBytes);
        loop.addListener(delivery);
        loop.addListener(new ConnectionLogger(routeId, () -> inUse(serverUri)));
        loop.addListener(new ConnectionListener() {

            @Override
            public void onGaveUp(String reason) {
                // Camel's own way to stop a route from within it: a separate thread, since stopping waits for us
                policy.stopRouteAsync(getRoute());
            }
        });
        if (Boolean.TRUE.equals(settings.getLifecycleEvents())) {
            loop.addListener(
                    new LifecycleEvents(loop, event -> handoff.offer(new Inbound(event, event.connection(), 0))));
        }
        SequenceGaps gaps = settings.getSequenceField() == null ? null : new SequenceGaps(settings.getSequenceField());
        sequenceGaps = gaps;
        // installs the context's one stop budget, which also keeps the sink kamelets running until feeds have drained
        stopBudget = StopBudget.of(getEndpoint().getCamelContext());
        feed = new Feed(routeId, serverUri, loop, settings, current::pending, delivery,
                gaps == null ? () -> 0 : gaps::gaps);
        observers = new ArrayList<>(getEndpoint().getCamelContext().getRegistry().findByType(FeedObserver.class));
        observers.forEach(o -> o.feedStarted(feed));
        draining = false;
        closedForShutdown = false;
        forcedStop = false;
        undelivered = new UndeliveredMessages(getEndpoint().getCamelContext(), routeId);
        loop.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (loop != null) {
            if (!closedForShutdown) {
                stopLoopDelivering("route stopped");
            }
            observers.forEach(o -> o.feedStopped(feed));
        }
        if (client != null) {
            client.close();
            client = null;
        }
        super.doStop();
    }

    @Override
    protected void doSuspend() {
        if (loop != null && !closedForShutdown) {
            stopLoopDelivering("route suspended");
        }
    }

    @Override
    protected void doResume() throws Exception {
        if (loop != null) {
            closedForShutdown = false;
            draining = false;
            loop.resumeReading();
            loop.start();
        }
    }

    // --- graceful shutdown: Camel waits for getPendingExchangesSize() to reach 0 before stopping this consumer

    @Override
    public boolean deferShutdown(ShutdownRunningTask shutdownRunningTask) {
        if (loop != null) {
            // Drain and close now, while every other route (a kamelet sink) still runs: the frames read until the
            // server's close reply are then processed before Camel goes on. Closed only in doStop, they would reach
            // sinks Camel may already have stopped.
            stopLoopDelivering("route stopped");
            closedForShutdown = true;
        }
        return true;
    }

    @Override
    public int getPendingExchangesSize() {
        return getInFlight();
    }

    @Override
    public void prepareShutdown(boolean suspendOnly, boolean forced) {
        if (forced) {
            forcedStop = true;
        }
        if (forced && getInFlight() > 0) {
            LOG.warn("Route '{}': shutdown forced with {} received messages not yet processed", getRouteId(),
                    getInFlight());
        }
    }

    /** The server in use (several URLs, or one computed per connect), masked; the route's URI before the first attempt. */
    private String inUse(String routeUri) {
        String target = loop.snapshot().target();
        return target != null ? target : routeUri;
    }

    private final class Receiver implements MessageReceiver {

        @Override
        public void onText(String text, long connection, long sequence) {
            handoff.offer(new Inbound(text, connection, sequence));
        }

        @Override
        public void onBinary(Buffer data, long connection, long sequence) {
            handoff.offer(new Inbound(data.getBytes(), connection, sequence));
        }
    }

    private void deliver(Inbound message, boolean endOfBatch) {
        if (isForcedStop() && !(message.body() instanceof LifecycleEvent)) {
            // Camel would reject the exchange (RejectedExecutionException): keep the message for replay instead
            undeliver(message.body(), FORCED, endOfBatch);
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            if (message.body() instanceof LifecycleEvent event) {
                var in = exchange.getMessage();
                in.setHeader(WsListenerConstants.ROUTE_ID, getRouteId());
                event.applyTo(in);
            } else {
                // the three headers as fields: no header map per message unless the route asks for one
                FeedMessage in = new FeedMessage(exchange, message.body(), getRouteId(), message.connection(),
                        message.sequence());
                exchange.setIn(in);
                if (sequenceGaps != null && message.body() instanceof String text) {
                    long gap = sequenceGaps.check(text);
                    if (gap != 0) {
                        in.setHeader(WsListenerConstants.GAP, gap);
                    }
                }
            }
        } catch (Exception e) {
            exchange.setException(e);
        }
        send(exchange, message.body() instanceof LifecycleEvent ? null : message.body(), endOfBatch);
    }

    /**
     * One exchange per message, or with maxBatchSize above 1 one per batch: a batch of its own per hand-off, since the
     * last start's hand-off may still be delivering when this one begins.
     */
    private OrderedHandoff.Worker<Inbound> worker(int maxBatchSize) {
        if (maxBatchSize <= 1) {
            return this::deliver;
        }
        MessageBatch batch = new MessageBatch(maxBatchSize);
        return (message, endOfBatch) -> collect(batch, message, endOfBatch);
    }

    /** Adds a message to the batch, which goes when nothing else waits (no added latency) or it is full. */
    private void collect(MessageBatch batch, Inbound message, boolean endOfBatch) {
        boolean event = message.body() instanceof LifecycleEvent;
        if (event || !batch.accepts(message.connection())) {
            // lifecycle events are never batched, and a batch never spans two connections: what was collected goes first
            deliverBatch(batch, false);
        }
        if (event) {
            deliver(message, endOfBatch);
            return;
        }
        // checked message by message, as without batches: the meter counts every gap
        long gap = sequenceGaps != null && message.body() instanceof String text ? sequenceGaps.check(text) : 0;
        if (batch.add(message.body(), message.connection(), message.sequence(), gap) || endOfBatch) {
            deliverBatch(batch, endOfBatch);
        }
    }

    private void deliverBatch(MessageBatch batch, boolean endOfBatch) {
        if (batch.isEmpty()) {
            return;
        }
        if (isForcedStop()) {
            undeliver(batch.take(), FORCED, endOfBatch);
            return;
        }
        Exchange exchange = createExchange(false);
        FeedMessage in = batch.takeInto(exchange, getRouteId());
        exchange.setIn(in);
        send(exchange, in.getBody(), endOfBatch);
    }

    /**
     * Runs the route on the exchange (unless making the exchange failed already), as Camel's consumers do, and deals
     * with a failure: cut off by a forced stop (the exchange was rejected or interrupted), what was received was not
     * processed and goes to the undelivered file; any other failure goes to the exception handler.
     *
     * @param received the message as received, a batch's List of them, or null for a lifecycle event (never kept)
     */
    private void send(Exchange exchange, Object received, boolean endOfBatch) {
        try {
            if (exchange.getException() == null) {
                if (endOfBatch) {
                    exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, true);
                }
                // what Processor.process(exchange) does, without looking the await manager up again for every message
                awaitManager.process(getAsyncProcessor(), exchange);
            }
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            Exception failure = exchange.getException();
            if (failure != null && received != null && isForcedStop()) {
                undeliver(received, failure, endOfBatch);
            } else if (failure != null) {
                getExceptionHandler().handleException("Error processing WebSocket message", exchange, failure);
            }
            releaseExchange(exchange, false);
        }
    }

    /** A message, or every message of a batch in order, that a forced stop cut off goes to the undelivered file. */
    private void undeliver(Object received, Throwable cause, boolean endOfBatch) {
        if (!(received instanceof List<?> bodies)) {
            undelivered.add(received, cause, endOfBatch);
            return;
        }
        for (int i = 0, last = bodies.size() - 1; i <= last; i++) {
            undelivered.add(bodies.get(i), cause, endOfBatch && i == last);
        }
    }

    private static final Exception FORCED = new java.util.concurrent.RejectedExecutionException(
            "not processed: the stop reached shutdownTimeout and was forced");

    /**
     * The context's stop reached shutdownTimeout and was forced. A forced stop of the route alone does not count: its
     * messages go on being processed in the background, and a restart's new messages follow them.
     */
    private boolean isForcedStop() {
        StopBudget budget = stopBudget;
        return (forcedStop || getEndpoint().getCamelContext().getShutdownStrategy().isForceShutdown())
                && budget != null && budget.isStopping();
    }

    private void resumeUnlessDraining() {
        // Called on the delivery thread when the backlog fell to half; decided on the loop's context, where messages
        // are offered and reading is paused: a resume that arrives after reading was paused again at maxInFlight is
        // dropped there, otherwise it would let one more message in past the bound each time.
        ConnectionLoop current = loop;
        OrderedHandoff<Inbound> messages = handoff;
        current.context().runOnContext(v -> {
            if (!draining && messages.belowPauseBound()) {
                messages.resumed();
                current.resumeReading();
            }
        });
    }

    /**
     * Pauses reading, lets the route process what was received, then closes the socket: the loop reads on while the
     * close handshake runs, and what Vert.x had already read comes out and is processed too, all within drainTimeout.
     */
    private void stopLoopDelivering(String reason) {
        // drainTimeout, capped by what is left of Camel's shutdownTimeout when the whole context stops
        Duration drainTimeout = StopBudget.of(getEndpoint().getCamelContext()).cap(settings.getDrainTimeout());
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        boolean drained = false;
        boolean interrupted = false;
        draining = true;
        loop.pauseReading();
        try {
            drained = handoff.awaitEmpty(drainTimeout);
        } catch (InterruptedException e) {
            // Camel interrupts a stop that reached shutdownTimeout: stop waiting, but the loop must still stop, or it
            // would go on reconnecting next to the route's next start
            interrupted = true;
        }
        // while the socket closes, backpressure works as usual: the frames still coming are bounded as before
        draining = false;
        awaitQuietly(loop.stop(reason));
        draining = true;
        try {
            if (drained && !interrupted) {
                drained = handoff.awaitEmpty(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (!drained) {
            LOG.warn("Route '{}': {} received messages not processed within drainTimeout {}", getRouteId(),
                    handoff.pending(), Durations.format(settings.getDrainTimeout()));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Processing a message threw what deliver() does not catch (an Error): seen, counted, and the feed goes on. */
    private void deliveryFailed(Throwable error) {
        DeliveryStatus status = delivery;
        if (status != null) {
            status.failed(error);
        }
        LOG.error("Route '{}': processing a received message failed with {}; that message is lost, the feed goes on"
                + " and its health reports DOWN until the route restarts", getRouteId(), error.toString(), error);
    }

    private static void awaitQuietly(Future<Void> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("Socket did not close cleanly", e);
        }
    }

    /**
     * Where the connection really goes, for logs: the endpoint's URI leaves out a default port ({@code wss://host/path}
     * shows as port 0), the connect options have it.
     */
    private static String describe(WebSocketConnectOptions options) {
        return (Boolean.TRUE.equals(options.isSsl()) ? "wss" : "ws") + "://" + options.getHost() + ":"
                + options.getPort()
                + options.getURI();
    }

    private HttpClientOptions clientOptions(VertxWebsocketConfiguration configuration) throws Exception {
        HttpClientOptions options = configuration.getClientOptions() == null
                ? new HttpClientOptions() : new HttpClientOptions(configuration.getClientOptions());
        if (configuration.getSslContextParameters() != null) {
            TlsClientOptions.apply(getEndpoint().getCamelContext(), getRouteId(),
                    configuration.getSslContextParameters(),
                    options);
        }
        options.setMaxWebSocketMessageSize(settings.getMaxMessageSize());
        options.setMaxWebSocketFrameSize(settings.getMaxMessageSize());
        options.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.getConnectTimeout().toMillis()));
        if (settings.getProxy() != null) {
            options.setProxyOptions(ProxySetting.options(getRouteId(), settings.getProxy()));
            LOG.info("Route '{}': connecting through proxy {}", getRouteId(),
                    ProxySetting.display(settings.getProxy()));
        }
        return options;
    }

    private WsListenerRoutePolicy policyOf(Route route) {
        if (route != null) {
            for (RoutePolicy policy : route.getRoutePolicyList()) {
                if (policy instanceof WsListenerRoutePolicy ours) {
                    return ours;
                }
            }
        }
        // no policy named: the wslistener.* properties and built-in defaults apply
        return new WsListenerRoutePolicy();
    }

    // --- JMX: Camel adds these to the consumer's MBean (org.apache.camel:type=consumers), as for its own
    // @ManagedResource consumers. They read the FeedStatus that the dev console reads, so both always agree.

    private FeedStatus managedStatus() {
        FeedStatuses statuses = FeedStatuses.of(getEndpoint().getCamelContext());
        return statuses == null ? null : statuses.of(feed);
    }

    @ManagedAttribute(description = "Connection state: CONNECTING, OPEN, BACKING_OFF, STOPPED or FAILED")
    public String getConnectionState() {
        return loop == null ? ConnectionState.STOPPED.name() : loop.snapshot().state().name();
    }

    @ManagedAttribute(description = "Since when the connection is in its state (ISO-8601)")
    public String getConnectionStateSince() {
        return loop == null ? null : Instant.ofEpochMilli(loop.snapshot().sinceEpochMillis()).toString();
    }

    @ManagedAttribute(description = "Number of the current (or last) connection; 0 before the first")
    public long getConnectionNumber() {
        return loop == null ? 0 : loop.snapshot().connections();
    }

    @ManagedAttribute(description = "Server URL, secrets masked")
    public String getServerUrl() {
        return feed == null ? null : feed.serverUri();
    }

    @ManagedAttribute(description = "WebSocket messages received since the route started")
    public long getMessagesReceived() {
        FeedStatus status = managedStatus();
        return status == null ? 0 : status.messages();
    }

    @ManagedAttribute(description = "Messages per second over the last 10 seconds")
    public double getMessageRate() {
        FeedStatus status = managedStatus();
        return status == null ? 0 : status.messagesPerSecond();
    }

    @ManagedAttribute(description = "Messages received and not yet processed")
    public int getMessagesInFlight() {
        return getInFlight();
    }

    @ManagedAttribute(description = "Received messages a forced stop left unprocessed and wrote to the undelivered dead-letter file")
    public long getMessagesUndelivered() {
        UndeliveredMessages messages = undelivered;
        return messages == null ? 0 : messages.written();
    }

    @ManagedAttribute(description = "Whether reading from the socket is paused (backpressure or operator)")
    public boolean isReadingPaused() {
        FeedStatus status = managedStatus();
        return status != null && status.readingPaused();
    }

    @ManagedAttribute(description = "Whether an operator paused reading (pauseReading), until resumeReading")
    public boolean isReadingHeld() {
        return loop != null && loop.readingHeld();
    }

    @ManagedAttribute(description = "Total time reading was paused, in milliseconds")
    public long getPausedMillis() {
        FeedStatus status = managedStatus();
        return status == null ? 0 : status.pausedTime().toMillis();
    }

    @ManagedAttribute(description = "Round trip of the last pong in milliseconds, -1 before the first")
    public double getLastPongRoundTripMillis() {
        FeedStatus status = managedStatus();
        Duration rtt = status == null ? null : status.lastPongRoundTrip();
        return rtt == null ? -1 : rtt.toNanos() / 1e6;
    }

    @ManagedAttribute(description = "Cause of the last failed attempt, lost connection or give-up")
    public String getLastFailure() {
        FeedStatus status = managedStatus();
        FeedStatus.Failure failure = status == null ? null : status.lastFailure();
        return failure == null ? null : failure.cause();
    }

    @ManagedAttribute(description = "When the last failure happened (ISO-8601)")
    public String getLastFailureAt() {
        FeedStatus status = managedStatus();
        FeedStatus.Failure failure = status == null ? null : status.lastFailure();
        return failure == null ? null : failure.at().toString();
    }

    @ManagedOperation(description = "Reconnect now: close the open connection with 1000, or stop waiting out the backoff")
    public void reconnectNow() {
        if (loop != null) {
            loop.reconnectNow();
        }
    }

    @ManagedOperation(description = "Pause reading from the socket (TCP backpressure) until resumeReading")
    public void pauseReading() {
        if (loop != null) {
            loop.holdReading();
        }
    }

    @ManagedOperation(description = "Resume reading after pauseReading (a backlog above maxInFlight keeps it paused)")
    public void resumeReading() {
        if (loop != null) {
            loop.releaseReading();
            resumeUnlessDraining();
        }
    }
}
