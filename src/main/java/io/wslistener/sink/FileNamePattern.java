package io.wslistener.sink;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * File names such as {@code feed-{date}.jsonl}: {@code {date}} is replaced with the current date in the sink's date
 * pattern, and a file rolled over for size gets an index before its extension ({@code feed-2025-01-31.1.jsonl},
 * {@code .2}, ...), so that {@code *.jsonl} still finds every file. The order of a date's files is the file without
 * an index, then index 1, 2, and so on.
 * <p>
 * Not thread-safe: each writer owns one and uses it under its own lock.
 */
public final class FileNamePattern {

    static final String DATE_TOKEN = "{date}";

    private final String stem;
    private final String extension;
    private final DateTimeFormatter formatter;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedDate;

    public FileNamePattern(String pattern, String datePattern, ZoneId zone) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("fileName must not be empty");
        }
        int lastDate = pattern.lastIndexOf(DATE_TOKEN);
        int afterDate = lastDate < 0 ? 0 : lastDate + DATE_TOKEN.length();
        int dot = pattern.lastIndexOf('.');
        boolean hasExtension = dot > pattern.lastIndexOf('/') + 1 && dot >= afterDate;
        this.stem = hasExtension ? pattern.substring(0, dot) : pattern;
        this.extension = hasExtension ? pattern.substring(dot) : "";
        try {
            this.formatter = DateTimeFormatter.ofPattern(datePattern).withZone(zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("datePattern '" + datePattern + "' is not a valid date pattern: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The date part of the file name at the given time. Formatting is cached for the current second, so a busy sink
     * does not format a date per message (date patterns finer than a second are therefore not supported).
     */
    public String dateAt(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != cachedSecond) {
            String date = formatter.format(Instant.ofEpochSecond(second));
            // keep the same instance while the date is unchanged, so callers may compare cheaply
            if (!date.equals(cachedDate)) {
                cachedDate = date;
            }
            cachedSecond = second;
        }
        return cachedDate;
    }

    /** The file name for a date and a size index (0 for the first file of that date). */
    public String fileName(String date, int index) {
        String name = stem.replace(DATE_TOKEN, date);
        return index == 0 ? name + extension : name + "." + index + extension;
    }
}
