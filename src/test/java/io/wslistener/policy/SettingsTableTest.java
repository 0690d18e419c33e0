package io.wslistener.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wslistener.support.WsListenerProperty;
import io.wslistener.testsupport.Docs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The option tables of docs/connection-policy.md are the {@code @Metadata} of {@link ConnectionSettings}: same options,
 * in the same order, each under the heading of its label, with the same defaults and descriptions; and its
 * {@code wslistener.*} block names every option a property can set. A setting added to the class and not to the docs
 * (or the other way round, or a default or group changed in one place) fails here.
 */
class SettingsTableTest {

    @Test
    void theDocsTableListsEveryOptionWithItsDefaultAndDescription() {
        Map<String, List<String>> documented = table(Docs.section("docs/connection-policy.md", "Settings"));

        Map<String, List<String>> declared = new LinkedHashMap<>();
        for (SettingOptions.Option option : SettingOptions.all()) {
            declared.put(option.name(), List.of(option.label(),
                    option.defaultValue() == null ? "none" : option.defaultValue(), option.description()));
        }
        assertEquals(String.join("\n", declared.keySet()), String.join("\n", documented.keySet()), "the options");
        declared.forEach((name, expected) -> assertEquals(expected, documented.get(name), name));
    }

    @Test
    void theDocsPropertiesBlockNamesEverySettingThatAPropertyCanSetWithItsDefault() {
        String block = Docs.section("docs/connection-policy.md", "`wslistener.*` properties");
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^(#\\s*)?wslistener\\.(\\w+) = (.*)$").matcher(block);
        while (line.find()) {
            documented.put(line.group(2), line.group(1) == null ? line.group(3).strip() : null);
        }

        List<String> settable = SettingOptions.all().stream().filter(SettingOptions.Option::settableByProperty)
                .map(SettingOptions.Option::name).toList();
        assertEquals(settable, List.copyOf(documented.keySet()),
                "the wslistener.* properties, in the order of the class");
        documented.forEach((name, value) -> {
            SettingOptions.Option option = SettingOptions.find(name).orElseThrow();
            if (value != null) {
                assertEquals(option.convert(null, option.defaultValue()), option.convert(null, value),
                        name + ": the default");
            } else {
                assertNull(option.defaultValue(), name + " has a default: show it, not commented out");
            }
        });
    }

    @Test
    void theDocsListTheOtherWsListenerPropertiesWithTheirDefaults() {
        Map<String, List<String>> documented = table(
                Docs.section("docs/connection-policy.md", "`wslistener.*` properties"));

        Map<String, String> declared = new LinkedHashMap<>();
        for (WsListenerProperty property : WsListenerProperty.values()) {
            declared.put(property.key(), property.defaultValue());
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        documented.forEach((key, row) -> defaults.put(key, row.get(1)));
        assertEquals(declared, defaults, "the wslistener.* properties besides the settings, in the order of the enum");
    }

    /**
     * Rows {@code | `name` | `default` | description |} with the {@code ### Heading} they stand under, lower case;
     * markdown code marks removed; "unset" reads as "none".
     */
    private static Map<String, List<String>> table(String markdown) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        String heading = "(none)";
        for (String line : markdown.lines().toList()) {
            if (line.startsWith("### ")) {
                heading = line.substring(4).strip().toLowerCase(Locale.ROOT);
            } else if (line.startsWith("| `")) {
                String[] cells = line.substring(1, line.length() - 1).split(" \\| ", -1);
                String defaultValue = plain(cells[1]);
                rows.put(plain(cells[0]),
                        List.of(heading, "unset".equals(defaultValue) ? "none" : defaultValue, plain(cells[2])));
            }
        }
        return rows;
    }

    private static String plain(String cell) {
        return cell.replace("`", "").strip();
    }
}
