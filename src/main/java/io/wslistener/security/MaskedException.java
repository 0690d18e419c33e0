package io.wslistener.security;

import io.wslistener.support.UriMasking;

/**
 * A copy of an exception chain with the secrets masked out of every message, for output that shows exceptions (a
 * health check's error): each link keeps its stack trace, and its message starts with the class it stands for.
 */
final class MaskedException extends RuntimeException {

    private MaskedException(Throwable original, MaskedException cause) {
        super(original.getClass().getName() + ": " + UriMasking.maskUrlsIn(String.valueOf(original.getMessage())),
                cause, false, true);
        setStackTrace(original.getStackTrace());
    }

    static MaskedException of(Throwable error) {
        Throwable cause = error.getCause();
        return new MaskedException(error, cause == null || cause == error ? null : of(cause));
    }

    /** The messages of the whole chain, to tell whether any holds a secret. */
    static String text(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null && text.length() < 65536; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }
}
