package io.wslistener.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.wslistener.testsupport.Readme;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The option table of the connection policy's documentation is the {@code @UriParam} metadata of
 * {@link ConnectionSettings}: same options, in the same order, with the same defaults and descriptions. A setting added
 * to the class and not to the docs (or the other way round, or a default changed in one place) fails here.
 */
class SettingsTableTest {

    @Test
    void theDocsTableListsEveryOptionWithItsDefaultAndDescription() {
        Map<String, List<String>> documented = table(settingsSection(Readme.section("Staying connected")));

        Map<String, List<String>> declared = new LinkedHashMap<>();
        for (SettingOptions.Option option : SettingOptions.all()) {
            declared.put(option.name(), List.of(option.defaultValue() == null ? "none" : option.defaultValue(),
                    option.description()));
        }
        assertEquals(String.join("\n", declared.keySet()), String.join("\n", documented.keySet()), "the options");
        declared.forEach((name, expected) -> assertEquals(expected, documented.get(name), name));
    }

    private static String settingsSection(String markdown) {
        int start = markdown.indexOf("\n### Settings");
        int end = markdown.indexOf("\n### ", start + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    /** Rows {@code | `name` | `default` | description |}, markdown code marks removed; "unset" reads as "none". */
    private static Map<String, List<String>> table(String markdown) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : markdown.lines().toList()) {
            if (line.startsWith("| `")) {
                String[] cells = line.substring(1, line.length() - 1).split(" \\| ", -1);
                String defaultValue = plain(cells[1]);
                rows.put(plain(cells[0]), List.of("unset".equals(defaultValue) ? "none" : defaultValue, plain(cells[2])));
            }
        }
        return rows;
    }

    private static String plain(String cell) {
        return cell.replace("`", "").strip();
    }
}
