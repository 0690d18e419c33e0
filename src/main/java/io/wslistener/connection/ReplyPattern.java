package io.wslistener.connection;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a server's reply must look like, written as a setting: the exact text of the message, or {@code regex:} followed
 * by a Java regular expression that must be found in it ({@code regex:"op"\s*:\s*"pong"}; anchor it with {@code ^...$}
 * to match the whole message). Where a setting allows it ({@link #orAny}), {@code any} accepts any message, binary too.
 */
public final class ReplyPattern {

    static final String REGEX_PREFIX = "regex:";
    /** The setting, where a setting allows it, that any message will do. */
    static final String ANY = "any";

    private final String exact;
    private final Pattern pattern;

    private final boolean any;

    private ReplyPattern(String exact, Pattern pattern) {
        this(exact, pattern, false);
    }

    private ReplyPattern(String exact, Pattern pattern, boolean any) {
        this.any = any;
        this.exact = exact;
        this.pattern = pattern;
    }

    /** @return the pattern of this setting, or null when it is unset */
    public static ReplyPattern of(String setting) {
        if (setting == null) {
            return null;
        }
        if (setting.startsWith(REGEX_PREFIX)) {
            return new ReplyPattern(null, Pattern.compile(setting.substring(REGEX_PREFIX.length())));
        }
        return new ReplyPattern(setting, null);
    }

    /** Like {@link #of}, with {@code any} for any message. */
    public static ReplyPattern orAny(String setting) {
        return ANY.equals(setting) ? new ReplyPattern(null, null, true) : of(setting);
    }

    /** Checks a setting at start-up: an empty text or a broken regular expression names the route and the option. */
    static void validate(String routeId, String option, String setting) {
        if (setting == null) {
            return;
        }
        if (setting.isEmpty() || setting.equals(REGEX_PREFIX)) {
            throw new InvalidSettingException(routeId, option,
                    "is empty; allowed: the exact text of the reply, or regex:<Java regular expression>");
        }
        try {
            of(setting);
        } catch (PatternSyntaxException e) {
            throw new InvalidSettingException(routeId, option, "is not a valid regular expression after regex: ("
                                                               + e.getDescription() + " at index " + e.getIndex() + ")");
        }
    }

    public boolean matches(String text) {
        return any || (pattern == null ? exact.equals(text) : pattern.matcher(text).find());
    }

    /** Whether a binary message will do: only where any message does. */
    public boolean matchesBinary() {
        return any;
    }
}
