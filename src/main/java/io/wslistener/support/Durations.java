package io.wslistener.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes a duration the way ws-listener settings are written ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m},
 * {@code 2d}, a number alone is milliseconds, or ISO-8601 such as {@code PT30S}), refusing anything else.
 * <p>
 * Camel's own conversion is lenient in ways that hide mistakes: {@code -5s}, {@code 10S} and {@code 5x} all become 0,
 * so a typo would silently switch pings off or make every attempt time out at once.
 */
public final class Durations {

    public static final String ALLOWED = "a duration of 0 or more such as 500ms, 30s, 5m or 1h30m (a number alone is milliseconds)";

    private static final Pattern UNITS = Pattern
            .compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException whose message says what is allowed
     */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                Duration duration = Duration.parse(value.toUpperCase(Locale.ROOT));
                if (duration.isNegative()) {
                    throw new IllegalArgumentException(ALLOWED);
                }
                return duration;
            }
            if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                return Duration.ofMillis(Long.parseLong(value));
            }
            Matcher units = UNITS.matcher(value);
            if (value.isEmpty() || !units.matches()) {
                throw new IllegalArgumentException(ALLOWED);
            }
            return Duration.ofDays(number(units.group(1))).plusHours(number(units.group(2)))
                    .plusMinutes(number(units.group(3))).plusSeconds(number(units.group(4)))
                    .plusMillis(number(units.group(5)));
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(ALLOWED);
        }
    }

    /**
     * A duration for people to read, in the units settings are written in: {@code 0s}, {@code 500ms}, {@code 5s},
     * {@code 1.5s}, {@code 1m30s}, {@code 2h}; exact to the millisecond. The one formatter for settings in messages,
     * log lines and the summary. Camel's {@code TimeUtils.printDuration} does not fit: it writes {@code 1s0ms}, or drops
     * the milliseconds ({@code 0s} for 500 ms). A caller that shows a measured time rounds it first.
     */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        StringBuilder text = new StringBuilder();
        appendUnit(text, duration.toDays(), "d");
        appendUnit(text, duration.toHoursPart(), "h");
        appendUnit(text, duration.toMinutesPart(), "m");
        int seconds = duration.toSecondsPart();
        int fraction = duration.toMillisPart();
        if (fraction > 0) {
            String decimals = String.format(Locale.ROOT, "%03d", fraction).replaceAll("0+$", "");
            text.append(seconds).append('.').append(decimals).append('s');
        } else {
            appendUnit(text, seconds, "s");
        }
        return text.toString();
    }

    /**
     * {@link #format} of a measured time, rounded for a log line: to 100 ms under a minute, to the second under an
     * hour, to the minute above ({@code 1.8s}, {@code 4m12s}, {@code 1h2m}).
     */
    public static String formatRounded(Duration duration) {
        long millis = duration.toMillis();
        long unit = millis < 60_000 ? 100 : millis < 3_600_000 ? 1000 : 60_000;
        return format(Duration.ofMillis(millis < 1000 ? millis : (millis + unit / 2) / unit * unit));
    }

    private static void appendUnit(StringBuilder text, long amount, String unit) {
        if (amount > 0) {
            text.append(amount).append(unit);
        }
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
