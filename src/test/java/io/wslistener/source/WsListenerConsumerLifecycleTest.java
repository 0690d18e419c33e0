package io.wslistener.source;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.ConnectionState;
import io.wslistener.connection.RecordingListener;
import io.wslistener.spi.Feed;
import io.wslistener.spi.FeedObserver;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer's own life, driven call by call as Camel drives it (start, suspend, resume, stop, Camel's graceful and
 * forced shutdown), with no server: nothing listens on the port, every attempt is refused and the loop backs off for
 * 30 s, so each step can be looked at in a state that holds still.
 */
class WsListenerConsumerLifecycleTest {

    @RegisterExtension
    final YamlCamel yamlCamel = YamlCamel.create().property("wslistener.initialDelay", "30s");

    private final List<String> observed = new CopyOnWriteArrayList<>();
    private WsListenerConsumer consumer;

    @BeforeEach
    void createConsumer() throws Exception {
        yamlCamel.bean("observer", new FeedObserver() {

            @Override
            public void feedStarted(Feed feed) {
                observed.add("started " + feed.routeId());
            }

            @Override
            public void feedStopped(Feed feed) {
                observed.add("stopped " + feed.routeId());
            }
        });
        yamlCamel.start();
        int nothingListens = AvailablePortFinder.getNextAvailable();
        WsListenerEndpoint endpoint = yamlCamel.context()
                .getEndpoint("ws-listener:127.0.0.1:" + nothingListens + "/feed", WsListenerEndpoint.class);
        consumer = (WsListenerConsumer) endpoint.createConsumer(exchange -> {
        });
        consumer.setRouteId("feed");
    }

    @AfterEach
    void stopConsumer() {
        consumer.stop();
    }

    @Test
    void beforeTheFirstStartThereIsNothingToReadOrStop() {
        assertNull(consumer.getLoop());
        assertNull(consumer.getFeed());
        assertEquals(0, consumer.getInFlight());
        assertEquals(ConnectionState.STOPPED.name(), consumer.getConnectionState());

        consumer.stop();

        assertEquals(List.of(), observed, "no feed was started, so none is stopped");
    }

    @Test
    void startReturnsAtOnceAndTheLoopKeepsTryingInTheBackground() {
        consumer.start();

        assertTrue(consumer.isStarted(), "a route starts even when its server is down");
        assertEquals(WsListenerConsumer.State.RUNNING, consumer.state());
        awaitLoop(ConnectionState.BACKING_OFF);
        assertEquals(List.of("started feed"), observed);
    }

    @Test
    void stopBeforeAnyConnectionStopsTheLoopAndTellsTheObservers() {
        consumer.start();
        ConnectionLoop loop = awaitLoop(ConnectionState.BACKING_OFF);

        consumer.stop();

        assertEquals(ConnectionState.STOPPED, loop.state());
        assertEquals(WsListenerConsumer.State.CLOSED, consumer.state());
        assertEquals(List.of("started feed", "stopped feed"), observed);
    }

    @Test
    void aSecondStopDoesNothing() {
        consumer.start();
        awaitLoop(ConnectionState.BACKING_OFF);
        consumer.stop();

        consumer.stop();

        assertEquals(List.of("started feed", "stopped feed"), observed);
        assertTrue(consumer.isStopped());
    }

    @Test
    void suspendStopsTheLoopAndResumeConnectsAgain() {
        RecordingListener events = new RecordingListener();
        consumer.start();
        ConnectionLoop loop = awaitLoop(ConnectionState.BACKING_OFF);
        loop.addListener(events);

        consumer.suspend();

        assertEquals(ConnectionState.STOPPED, loop.state(), "a suspended route keeps no connection");
        assertEquals(WsListenerConsumer.State.CLOSED, consumer.state());

        consumer.resume();

        assertEquals(WsListenerConsumer.State.RUNNING, consumer.state());
        await().atMost(5, TimeUnit.SECONDS).until(() -> events.failures.size() == 1);
        awaitLoop(ConnectionState.BACKING_OFF);
        assertEquals(List.of(ConnectionState.STOPPED, ConnectionState.CONNECTING, ConnectionState.BACKING_OFF),
                events.states, "the same loop, started again");
        assertEquals(List.of("started feed"), observed, "suspend and resume are no stop and start");
    }

    @Test
    void stopAfterSuspendHasNothingLeftToDrain() {
        consumer.start();
        ConnectionLoop loop = awaitLoop(ConnectionState.BACKING_OFF);
        consumer.suspend();

        consumer.stop();

        assertEquals(ConnectionState.STOPPED, loop.state());
        assertEquals(List.of("started feed", "stopped feed"), observed);
    }

    @Test
    void aRestartRunsOnANewLoop() {
        consumer.start();
        ConnectionLoop first = awaitLoop(ConnectionState.BACKING_OFF);
        consumer.stop();

        consumer.start();

        ConnectionLoop second = awaitLoop(ConnectionState.BACKING_OFF);
        assertNotSame(first, second);
        assertEquals(ConnectionState.STOPPED, first.state(), "the last start's loop stays stopped");
        assertEquals(List.of("started feed", "stopped feed", "started feed"), observed);
    }

    @Test
    void camelsGracefulShutdownDrainsAndClosesEarlyAndTheStopFollows() {
        consumer.start();
        ConnectionLoop loop = awaitLoop(ConnectionState.BACKING_OFF);

        assertTrue(consumer.deferShutdown(ShutdownRunningTask.CompleteCurrentTaskOnly));

        assertEquals(ConnectionState.STOPPED, loop.state(), "closed before Camel stops the other routes");
        assertEquals(WsListenerConsumer.State.CLOSED, consumer.state());
        assertEquals(0, consumer.getPendingExchangesSize());

        consumer.stop();

        assertEquals(List.of("started feed", "stopped feed"), observed);
    }

    @Test
    void aForcedShutdownStaysForcedUntilTheNextStart() {
        consumer.start();
        ConnectionLoop loop = awaitLoop(ConnectionState.BACKING_OFF);

        consumer.prepareShutdown(false, true);
        consumer.stop();

        assertEquals(WsListenerConsumer.State.FORCED, consumer.state());
        assertEquals(ConnectionState.STOPPED, loop.state(), "a forced stop still stops the loop");

        consumer.start();

        assertEquals(WsListenerConsumer.State.RUNNING, consumer.state());
    }

    private ConnectionLoop awaitLoop(ConnectionState state) {
        ConnectionLoop loop = consumer.getLoop();
        await().atMost(5, TimeUnit.SECONDS).until(() -> loop.state() == state);
        return loop;
    }
}
