package io.wslistener.support;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration the way ws-listener settings are written ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m},
 * {@code 2d}, a number alone is milliseconds, or ISO-8601 such as {@code PT30S}), refusing anything else.
 * <p>
 * Camel's own conversion is lenient in ways that hide mistakes: {@code -5s}, {@code 10S} and {@code 5x} all become 0,
 * so a typo would silently switch pings off or make every attempt time out at once.
 */
public final class Durations {

    public static final String ALLOWED = "a duration of 0 or more such as 500ms, 30s, 5m or 1h30m (a number alone is milliseconds)";

    private static final Pattern UNITS = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");

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

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
