package io.wslistener.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds where the last whole line of a line-format file ends, so that a line a crash or a full disk cut short can be cut
 * off before new records are appended. A fragment that is only terminated would stay behind as a line that does not
 * parse, and a replay or a reader of the file would trip over it.
 */
public final class TornLines {

    private TornLines() {
    }

    /**
     * Cuts off what follows the last line end of {@code file} (of {@code size} bytes).
     *
     * @return the number of bytes cut off, 0 when the file ends with a whole line (or is empty)
     */
    public static long cutOff(FileChannel file, long size) throws IOException {
        long boundary = afterLastLineEnd(file, size);
        if (boundary < size) {
            file.truncate(boundary);
        }
        return size - boundary;
    }

    private static long afterLastLineEnd(FileChannel file, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - chunk.capacity());
            chunk.clear().limit((int) (end - start));
            while (chunk.hasRemaining() && file.read(chunk, start + chunk.position()) > 0) {
                // read the whole chunk
            }
            for (int i = (int) (end - start) - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }
}
