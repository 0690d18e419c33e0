package io.wslistener.connection;

/**
 * What other threads (health checks, meters, the dev console) may read about a {@link ConnectionLoop}: published
 * whole on every state change, so that its parts always agree.
 *
 * @param target the server of the latest attempt or connection (secrets masked), or null before the first attempt or
 *               when the connector does not say
 */
public record LoopSnapshot(ConnectionState state, long sinceEpochMillis, String lastCause, long connections,
                           int failedInARow, String target) {
}
