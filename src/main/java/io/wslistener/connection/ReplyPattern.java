package io.wslistener.connection;

import java.util.regex.Pattern;

/**
 * What a server's reply must look like, written as a setting: the exact text of the message, or {@code regex:} followed
 * by a Java regular expression that must be found in it: anchor it ({@code regex:^\{"op":"pong".*\}$}) unless a
 * match anywhere in the message will do. Where a setting allows it ({@link #orAny}), {@code any} accepts any message,
 * binary too.
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

    public boolean matches(String text) {
        return any || (pattern == null ? exact.equals(text) : pattern.matcher(text).find());
    }

    /** Whether a binary message will do: only where any message does. */
    public boolean matchesBinary() {
        return any;
    }
}
