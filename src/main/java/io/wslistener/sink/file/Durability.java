package io.wslistener.sink.file;

import java.util.Locale;

/**
 * What the file sink does at the end of a batch.
 */
public enum Durability {

    /** Hand the batch to the operating system: safe when the process dies, not when the machine does. */
    FLUSH,

    /** Flush, then {@code FileChannel.force}: the batch is on disk when the flush returns (slower). */
    FSYNC;

    public static Durability of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("durability must be flush or fsync; was '" + name + "'", e);
        }
    }
}
