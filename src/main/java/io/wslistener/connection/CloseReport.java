package io.wslistener.connection;

/**
 * How a connection that the loop closed with a close frame ended: how many messages it read after the close frame went
 * out (each handed over like any other), and whether the server's close reply ended it or the close deadline reset
 * the socket.
 *
 * @param connection          the connection's number, or 0 when there was no open connection to close
 * @param readAfterCloseFrame messages read between the close frame and the end of the connection
 * @param reset               true when the server neither answered nor closed by the deadline and the socket was reset
 */
public record CloseReport(long connection, long readAfterCloseFrame, boolean reset) {

    /** A stop that found no open connection. */
    static final CloseReport NONE = new CloseReport(0, 0, false);
}
