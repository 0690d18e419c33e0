package io.wslistener.sink.file;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static io.wslistener.sink.JsonText.asJsonValue;
import static io.wslistener.sink.SinkMessages.text;

/**
 * How one message becomes one record of a sink file.
 */
public enum RecordFormat {

    /**
     * JSON Lines: one JSON value per line. A message that is JSON is written as it is (line breaks inside it become
     * spaces); any other text is written as a JSON string, so the file stays valid JSON Lines and nothing is dropped.
     * Binary messages are read as UTF-8 text.
     */
    JSONL(true) {

        @Override
        byte[] encode(Object body) {
            return asJsonValue(text(body));
        }
    },

    /** Plain text, one message per line, as received (a message with line breaks of its own spans several lines). */
    LINES(true) {

        @Override
        byte[] encode(Object body) {
            return text(body).getBytes(StandardCharsets.UTF_8);
        }
    },

    /** Length-delimited binary: a 4-byte big-endian length, then the bytes (text messages as UTF-8). */
    RAW(false) {

        @Override
        byte[] encode(Object body) {
            byte[] data = body instanceof byte[] bytes ? bytes : text(body).getBytes(StandardCharsets.UTF_8);
            byte[] record = new byte[4 + data.length];
            int length = data.length;
            record[0] = (byte) (length >>> 24);
            record[1] = (byte) (length >>> 16);
            record[2] = (byte) (length >>> 8);
            record[3] = (byte) length;
            System.arraycopy(data, 0, record, 4, length);
            return record;
        }
    };

    private final boolean endsWithLineBreak;

    RecordFormat(boolean endsWithLineBreak) {
        this.endsWithLineBreak = endsWithLineBreak;
    }

    /**
     * The bytes of one record, framing included but for the line end of the line formats (see
     * {@link #endsWithLineBreak()}): the writer adds it as it copies the record into its buffer, sparing a copy per
     * message.
     */
    abstract byte[] encode(Object body);

    /** True when each record is followed by {@code \n}, which {@link #encode} leaves out. */
    boolean endsWithLineBreak() {
        return endsWithLineBreak;
    }

    /** Parses {@code jsonl}, {@code lines} or {@code raw}, in any case. */
    public static RecordFormat of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format must be one of jsonl, lines, raw; was '" + name + "'", e);
        }
    }
}
