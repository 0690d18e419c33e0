package io.wslistener.source;

/**
 * What the hand-off carries from the socket to the route, in arrival order: a message, or a connect or disconnect of
 * the feed ({@link LifecycleEvent}, option {@code lifecycleEvents}). The exchange is made on the delivery thread, to
 * keep the event loop lean.
 */
sealed interface Inbound permits Inbound.DataMessage, LifecycleEvent {

    /** The number of the connection it belongs to. */
    long connection();

    /** The weight against {@code maxInFlightBytes}. */
    long size();

    /**
     * A data message (text or binary) as it left the socket.
     *
     * @param body     a {@code String} for a text message, a {@code byte[]} for a binary one
     * @param sequence its position on its connection, from 1
     */
    record DataMessage(Object body, long connection, long sequence) implements Inbound {

        /** Characters of a text (its bytes for ASCII), bytes of a binary. */
        @Override
        public long size() {
            return body instanceof String text ? text.length() : ((byte[]) body).length;
        }
    }
}
