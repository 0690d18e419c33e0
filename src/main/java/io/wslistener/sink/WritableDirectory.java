package io.wslistener.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The start-up check of a sink's folders: created when missing, and a file can be written in it. */
public final class WritableDirectory {

    private WritableDirectory() {
    }

    /**
     * @param what what the folder is for and whose it is, such as {@code "sink-http:orders: deadLetterDirectory"}
     * @throws IllegalStateException naming {@code what} and the folder when it cannot be created or written
     */
    public static void check(String what, Path directory) {
        Path absolute = directory.toAbsolutePath();
        try {
            Files.createDirectories(absolute);
            Path probe = Files.createTempFile(absolute, ".write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalStateException(what + " " + absolute + " cannot be created or written: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
