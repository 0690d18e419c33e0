package io.wslistener.connection;

import io.vertx.core.buffer.Buffer;

/**
 * Receives the messages of the open connection, in arrival order, on the loop's context. Must not block: hand the
 * message over and ask the loop to pause reading when too many are waiting.
 */
public interface MessageReceiver {

    void onText(String text, long connectionNumber, long sequence);

    void onBinary(Buffer data, long connectionNumber, long sequence);
}
