package io.wslistener.bench;

import io.wslistener.testsupport.FaultProxy;


/**
 * The network between the consumer and the server for the half-open benchmark: the consumer connects to one front
 * proxy, which forwards to one of two back proxies in front of the server.
 * <pre>
 *   consumer -> front -> back A -> server
 *                    \-> back B -> server
 * </pre>
 * {@link #breakCurrent()} points the front at the other back proxy for new connections, then black-holes the one the
 * open connection runs through. The open connection is then half-open (nothing arrives, nothing is refused, no FIN, no
 * RST), while a reconnect finds a working path at once: what is measured is "time to notice + reconnect", not the
 * time until the network heals.
 */
final class ProxyPath implements AutoCloseable {

    private final FaultProxy front;
    private final FaultProxy[] backs;
    private int current;

    ProxyPath(int serverPort) {
        backs = new FaultProxy[] { new FaultProxy(serverPort), new FaultProxy(serverPort) };
        front = new FaultProxy(backs[0].port());
    }

    /** The port consumers connect to. */
    int port() {
        return front.port();
    }

    /** Connections the front proxy accepted so far: every connect attempt of the consumer. */
    long acceptedConnections() {
        return front.totalAccepted();
    }

    /**
     * New connections go through the other back proxy from now on; the current one holds every byte of the open
     * connection from now on. Returns the black-holed proxy, to {@link #heal} once the trial is over.
     */
    FaultProxy breakCurrent() {
        FaultProxy broken = backs[current];
        current = 1 - current;
        front.setUpstream(backs[current].port());
        broken.blackHole();
        return broken;
    }

    /** Resets what the black-holed proxy still holds (so nothing stale reaches anybody) and lets it pass again. */
    static void heal(FaultProxy broken) {
        broken.resetAll();
        broken.pass();
    }

    @Override
    public void close() {
        front.close();
        backs[0].close();
        backs[1].close();
    }
}
