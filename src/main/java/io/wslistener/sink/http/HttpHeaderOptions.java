package io.wslistener.sink.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The HTTP sink's {@code headers} and {@code secretHeaders} options: {@code Name: value} pairs separated by {@code ;} or
 * new lines. Errors name the entry by its position, never by its content, which may be a token.
 * <p>
 * Why two options: Camel masks an option in the endpoint URIs it prints (logs, route dumps, JMX, errors) by its name
 * only, and "secret" is one of the names it knows; a credential in {@code headers} would be printed as it is, so a
 * header whose name marks a credential is refused there.
 */
final class HttpHeaderOptions {

    private static final Pattern CREDENTIAL_NAME = Pattern.compile(
            "(?i).*(authorization|auth|cookie|key|token|secret|pass|signature|session|credential).*");

    private HttpHeaderOptions() {
    }

    static Map<String, String> parse(String sink, String option, String headers) {
        Map<String, String> parsed = new LinkedHashMap<>();
        if (headers == null || headers.isBlank()) {
            return parsed;
        }
        int number = 0;
        for (String entry : headers.split("[;\\n]")) {
            if (entry.isBlank()) {
                continue;
            }
            number++;
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                // the entry itself is not repeated: it may well be a token written without its name
                throw new IllegalArgumentException(
                        sink + ": " + option + " must be 'Name: value' pairs separated by ';';"
                                + " entry " + number + " has no name before a ':'");
            }
            parsed.put(entry.substring(0, colon).strip(), entry.substring(colon + 1).strip());
        }
        return parsed;
    }

    /** Refuses a credential in the option Camel does not mask, naming the header but not its value. */
    static void refuseCredentials(String sink, Map<String, String> plainHeaders) {
        for (String name : plainHeaders.keySet()) {
            if (CREDENTIAL_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
                throw new IllegalArgumentException(sink + ": header " + name + " looks like a credential; put it in"
                        + " secretHeaders (masked wherever Camel prints the endpoint URI),"
                        + " not in headers");
            }
        }
    }
}
