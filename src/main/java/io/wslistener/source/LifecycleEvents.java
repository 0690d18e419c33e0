package io.wslistener.source;

import java.time.Duration;
import java.util.function.Consumer;

import io.vertx.core.Context;
import io.wslistener.connection.ConnectionListener;
import io.wslistener.connection.ConnectionLoop;
import io.wslistener.connection.ConnectionState;

/**
 * Turns the loop's connects and disconnects into {@link LifecycleEvent}s for the route, in order with the messages.
 * Not on a stop of the route: the route is draining then, and takes nothing new.
 */
final class LifecycleEvents implements ConnectionListener {

    private final ConnectionLoop loop;
    private final Context context;
    private final Consumer<LifecycleEvent> route;

    LifecycleEvents(ConnectionLoop loop, Consumer<LifecycleEvent> route) {
        this.loop = loop;
        this.context = loop.context();
        this.route = route;
    }

    @Override
    public void onConnected(long connectionNumber, int attempts, String remote) {
        // called before the connection's first message is read
        route.accept(LifecycleEvent.connected(connectionNumber));
    }

    @Override
    public void onDisconnected(long connectionNumber, int closeCode, String reason, Duration uptime) {
        if (loop.state() == ConnectionState.STOPPED) {
            return;
        }
        LifecycleEvent event = LifecycleEvent.disconnected(connectionNumber, closeCode, reason, uptime);
        // Vert.x may still hold messages it read before the close (reading was paused): the loop lets them out after
        // this call, and Vert.x delivers them in a task of its own on this context. Two hops put the event behind it.
        context.runOnContext(v -> context.runOnContext(w -> route.accept(event)));
    }
}
