package io.wslistener.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.wslistener.testsupport.Docs;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The option tables of docs/sinks.md ({@code | Option | Default | Meaning |} under "File sink", "Log sink" and
 * "HTTP sink") are checked against the kamelets they document
 * ({@code src/main/resources/kamelets/<name>.kamelet.yaml}, {@code spec.definition.properties}), and each kamelet
 * against the generated metadata of the component its template calls ({@code sink-file.json}, {@code sink-http.json}
 * built by camel-component-maven-plugin into target/classes/META-INF, and Camel's own {@code log.json}), found where
 * Camel's tooling looks for it: {@code META-INF/<package of the component class>/<scheme>.json}. A property added
 * to, renamed in or removed from one of the three and not the others fails here.
 * <p>
 * What is checked:
 * <ul>
 * <li>the table lists exactly the kamelet's properties: none missing, none extra (order is free: the tables group
 * options by topic);</li>
 * <li>every option the kamelet's template sets on the component (path and query, placeholders and literals alike) is
 * an endpoint option of that component; every kamelet property is used by the template; a property with neither a
 * default nor {@code required} is passed as {@code {{?name}}}, so that leaving it out leaves the component's option
 * unset instead of failing;</li>
 * <li>every value of a property's {@code enum} is named in the table's Meaning column;</li>
 * <li>the Default column, by this rule (backticks delimit a literal value):
 * <ul>
 * <li>a required property shows {@code (required)};</li>
 * <li>otherwise the <em>effective default</em> is the kamelet's {@code default}, or, when the kamelet has none and
 * passes the property as {@code {{?name}}}, the component option's {@code defaultValue}. When there is one, the cell
 * starts with it as a code span ({@code `0` (no limit)} shows {@code 0}; words after the code span are
 * commentary);</li>
 * <li>when there is none, the cell must not start with a literal code span: it is prose ("none", "unset", "the
 * umask", "the system's") or a computed placeholder with {@code <...>} in it ({@code `<directory>/dead-letter`}).
 * A table that claims a literal default the kamelet and component do not have fails.</li>
 * </ul>
 * </li>
 * </ul>
 * Kamelet defaults are not compared with component defaults: a kamelet may choose its own ({@code ws-log-sink}'s
 * {@code maxChars} is 1000, the log component's 10000).
 */
class SinkOptionTablesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\?)?([A-Za-z0-9_]+)}}");
    private static final Pattern LEADING_CODE = Pattern.compile("^`([^`]*)`");

    record Sink(String kamelet, String docsSection) {

        @Override
        public String toString() {
            return kamelet;
        }
    }

    static Stream<Sink> sinks() {
        return Stream.of(new Sink("ws-file-sink", "File sink"), new Sink("ws-log-sink", "Log sink"),
                new Sink("ws-http-sink", "HTTP sink"), new Sink("ws-kafka-sink", "Kafka sink"));
    }

    @ParameterizedTest
    @MethodSource("sinks")
    void theTableListsExactlyTheKameletsProperties(Sink sink) {
        Set<String> documented = table(sink).keySet();
        Set<String> declared = kamelet(sink).properties().keySet();

        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(declared);
        assertTrue(missing.isEmpty() && extra.isEmpty(), sink + ": docs/sinks.md \"" + sink.docsSection()
                + "\" table is missing " + missing + " and lists " + extra + " that the kamelet does not declare");
    }

    @ParameterizedTest
    @MethodSource("sinks")
    void everyOptionTheKameletSetsIsAnEndpointOptionOfTheComponent(Sink sink) {
        Kamelet kamelet = kamelet(sink);
        Map<String, Map<String, Object>> options = componentOptions(kamelet.call().scheme());

        for (String option : kamelet.call().options().keySet()) {
            assertTrue(options.containsKey(option), sink + " sets " + option + " on " + kamelet.call().scheme()
                    + ":, which has no such endpoint option (it has " + new TreeSet<>(options.keySet()) + ")");
        }
        Set<String> used = new LinkedHashSet<>();
        kamelet.call().options().values().forEach(value -> used.addAll(placeholders(value).keySet()));
        for (Map.Entry<String, Map<String, Object>> property : kamelet.properties().entrySet()) {
            String name = property.getKey();
            assertTrue(used.contains(name), sink + " declares " + name + " but its template never uses it");
            boolean optional = !kamelet.required().contains(name) && property.getValue().get("default") == null;
            kamelet.call().options().values().forEach(value -> {
                Boolean optionalReference = placeholders(value).get(name);
                if (optional && Boolean.FALSE.equals(optionalReference)) {
                    fail(sink + ": " + name + " has no default and is not required, so the template must use {{?"
                            + name + "}}, not {{" + name + "}}");
                }
            });
        }
    }

    @ParameterizedTest
    @MethodSource("sinks")
    void theDefaultColumnShowsTheEffectiveDefault(Sink sink) {
        Kamelet kamelet = kamelet(sink);
        Map<String, Map<String, Object>> options = componentOptions(kamelet.call().scheme());
        Map<String, String[]> table = table(sink);

        for (Map.Entry<String, Map<String, Object>> property : kamelet.properties().entrySet()) {
            String name = property.getKey();
            String[] row = table.get(name);
            if (row == null) {
                continue; // reported by theTableListsExactlyTheKameletsProperties
            }
            String cell = row[0];
            if (kamelet.required().contains(name)) {
                assertEquals("(required)", cell, sink + ": " + name + " is required");
                continue;
            }
            String effective = effectiveDefault(kamelet, name, property.getValue(), options);
            Matcher code = LEADING_CODE.matcher(cell);
            if (effective != null) {
                assertTrue(code.find(), sink + ": " + name + " defaults to " + effective
                        + ", so its Default cell must start with `" + effective + "`, not: " + cell);
                assertEquals(effective, code.group(1), sink + ": the default of " + name + " (cell: " + cell + ")");
            } else {
                assertFalse(code.find() && !code.group(1).contains("<"), sink + ": " + name
                        + " has no default in the kamelet or the component, but the table shows a literal one: "
                        + cell);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sinks")
    void theMeaningColumnNamesEveryAllowedValue(Sink sink) {
        Map<String, String[]> table = table(sink);
        kamelet(sink).properties().forEach((name, property) -> {
            if (property.get("enum") instanceof List<?> values && table.containsKey(name)) {
                String meaning = table.get(name)[1];
                for (Object value : values) {
                    assertTrue(meaning.contains("`" + value + "`"), sink + ": the Meaning of " + name
                            + " does not name the allowed value `" + value + "`: " + meaning);
                }
            }
        });
    }

    /** The kamelet's default; else, for a {@code {{?name}}} property, the default of the option it sets. */
    private static String effectiveDefault(Kamelet kamelet, String name, Map<String, Object> property,
                                           Map<String, Map<String, Object>> options) {
        if (property.get("default") != null) {
            return String.valueOf(property.get("default"));
        }
        Set<String> componentDefaults = new TreeSet<>();
        kamelet.call().options().forEach((option, value) -> {
            if (Boolean.TRUE.equals(placeholders(value).get(name)) && options.containsKey(option)
                    && options.get(option).get("defaultValue") != null) {
                componentDefaults.add(String.valueOf(options.get(option).get("defaultValue")));
            }
        });
        assertTrue(componentDefaults.size() <= 1, name + " sets options with different defaults " + componentDefaults);
        return componentDefaults.isEmpty() ? null : componentDefaults.iterator().next();
    }

    // ---- docs/sinks.md

    /** Option name to {Default, Meaning} of the section's {@code | Option | Default | Meaning |} table. */
    private static Map<String, String[]> table(Sink sink) {
        String section = Docs.section("docs/sinks.md", sink.docsSection());
        Map<String, String[]> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : section.lines().toList()) {
            if (line.startsWith("| Option | Default | Meaning |")) {
                assertFalse(inTable || !rows.isEmpty(), sink + ": more than one option table in the section");
                inTable = true;
            } else if (inTable && line.startsWith("|")) {
                if (line.startsWith("| ---")) {
                    continue;
                }
                String[] cells = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length())
                        .split(" \\| ", 3);
                assertEquals(3, cells.length, sink + ": not a three-cell row: " + line);
                String name = cells[0].strip().replace("`", "");
                String[] previous = rows.put(name, new String[]{ cells[1].strip(), cells[2].strip() });
                assertTrue(previous == null, sink + ": " + name + " is listed twice");
            } else if (inTable) {
                inTable = false;
            }
        }
        assertFalse(rows.isEmpty(), sink + ": no | Option | Default | Meaning | table under \"" + sink.docsSection()
                + "\" in docs/sinks.md");
        return rows;
    }

    // ---- the kamelet

    record Call(String scheme, Map<String, String> options) {
    }

    record Kamelet(Map<String, Map<String, Object>> properties, List<String> required, Call call) {
    }

    @SuppressWarnings("unchecked")
    private static Kamelet kamelet(Sink sink) {
        Path file = Path.of("src/main/resources/kamelets", sink.kamelet() + ".kamelet.yaml");
        Map<String, Object> yaml;
        try {
            String text = Files.readString(file);
            yaml = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> spec = (Map<String, Object>) yaml.get("spec");
        Map<String, Object> definition = (Map<String, Object>) spec.get("definition");
        Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) definition.get("properties");
        List<String> required = (List<String>) definition.getOrDefault("required", List.of());

        Map<String, Object> template = (Map<String, Object>) spec.get("template");
        // template.from, or template.route.from when the route has settings of its own (streamCache)
        Map<String, Object> route = template.containsKey("route") ? (Map<String, Object>) template.get("route")
                : template;
        Map<String, Object> from = (Map<String, Object>) route.get("from");
        List<String> calls = new ArrayList<>();
        for (Object step : (List<Object>) from.get("steps")) {
            if (step instanceof Map<?, ?> map && map.get("to") instanceof String uri) {
                calls.add(uri);
            }
        }
        assertEquals(1, calls.size(), file + ": expected one 'to' step calling the component, found " + calls);
        return new Kamelet(properties, required, call(calls.get(0)));
    }

    /**
     * {@code scheme:path?a=v&b=v} as option name to value; the path is named after the component's path option
     * (its single {@code "kind": "path"} property).
     */
    private static Call call(String uri) {
        int colon = uri.indexOf(':');
        String scheme = uri.substring(0, colon);
        String rest = uri.substring(colon + 1);
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        Map<String, String> options = new LinkedHashMap<>();
        List<String> pathOptions = componentOptions(scheme).entrySet().stream()
                .filter(option -> "path".equals(option.getValue().get("kind"))).map(Map.Entry::getKey).toList();
        assertEquals(1, pathOptions.size(), scheme + ": expected one path option, found " + pathOptions);
        options.put(pathOptions.get(0), path);
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                int equals = pair.indexOf('=');
                assertTrue(equals > 0, "not name=value in " + uri + ": " + pair);
                String previous = options.putIfAbsent(pair.substring(0, equals), pair.substring(equals + 1));
                assertTrue(previous == null, "set twice in " + uri + ": " + pair.substring(0, equals));
            }
        }
        return new Call(scheme, options);
    }

    /** Property name to whether it is referenced as {@code {{?name}}} (true) or {@code {{name}}} (false). */
    private static Map<String, Boolean> placeholders(String value) {
        Map<String, Boolean> names = new LinkedHashMap<>();
        Matcher placeholder = PLACEHOLDER.matcher(value);
        while (placeholder.find()) {
            names.put(placeholder.group(2), placeholder.group(1) != null);
        }
        return names;
    }

    // ---- the component's generated metadata

    private static final Map<String, Map<String, Map<String, Object>>> SCHEMAS = new LinkedHashMap<>();

    /** The endpoint options ("properties") of {@code scheme}'s metadata JSON, next to the scheme's component class. */
    @SuppressWarnings("unchecked")
    private static synchronized Map<String, Map<String, Object>> componentOptions(String scheme) {
        return SCHEMAS.computeIfAbsent(scheme, s -> {
            try (CamelContext camel = new DefaultCamelContext()) {
                Class<?> component = camel.getComponent(s).getClass();
                String path = "META-INF/" + component.getPackageName().replace('.', '/') + "/" + s + ".json";
                JsonObject schema;
                try (InputStream json = component.getClassLoader().getResourceAsStream(path)) {
                    assertNotNull(json, "no generated metadata at " + path);
                    schema = (JsonObject) Jsoner.deserialize(new String(json.readAllBytes(), StandardCharsets.UTF_8));
                }
                return (Map<String, Map<String, Object>>) (Map<String, ?>) schema.getMap("properties");
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the metadata of " + s, e);
            }
        });
    }
}
