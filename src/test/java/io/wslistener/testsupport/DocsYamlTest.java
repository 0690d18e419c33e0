package io.wslistener.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every {@code ```yaml} block of README.md and docs/*.md, loaded as printed into a CamelContext: the YAML DSL accepts
 * it, every bean it declares is created and bound, and every route, route template and templated route it declares
 * is in the model. Nothing is started (the examples name feeds on the internet); the tests of each page start the
 * snippets they describe. A block of route steps ({@code - to: ...}) is loaded under a route of its own. A block
 * preceded by {@code <!-- docs-yaml: parsed only, <reason> -->} is only parsed as YAML: for classes the tests do not
 * have (the reason says which).
 */
class DocsYamlTest {

    private static final String PARSED_ONLY = "<!-- docs-yaml: parsed only";

    /** Values for the placeholders the pages use, besides the shipped application.properties. */
    private static final Map<String, String> PROPERTIES = Map.of(
            "feed.token", "t0k3n",
            "ingest.url", "http://127.0.0.1:1/ingest",
            "ingest.token", "t0k3n",
            "kafka.brokers", "127.0.0.1:1",
            "kafka.password", "s3cret",
            "ticker.host", "127.0.0.1",
            "ticker.port", "1",
            "ticker.dataDir", "target/docs-yaml",
            "feed.cluster.kubernetes.namespace", "docs");

    @TestFactory
    Stream<DynamicTest> everyYamlBlockOfEveryPageLoads() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String page : pages()) {
            List<String> blocks = Docs.yamlBlocks(Docs.page(page));
            List<Boolean> parsedOnly = parsedOnly(Docs.page(page));
            assertEquals(blocks.size(), parsedOnly.size(), page);
            for (int i = 0; i < blocks.size(); i++) {
                String block = blocks.get(i);
                boolean parseOnly = parsedOnly.get(i);
                tests.add(DynamicTest.dynamicTest(page + " yaml block " + (i + 1), () -> {
                    if (parseOnly) {
                        assertNotNull(new Load(LoadSettings.builder().build()).loadFromString(block), block);
                    } else {
                        load(page, block);
                    }
                }));
            }
        }
        assertFalse(tests.isEmpty(), "no yaml blocks found in the documentation");
        return tests.stream();
    }

    /** README.md and every page under docs/, as paths relative to the project root. */
    static List<String> pages() throws IOException {
        List<String> pages = new ArrayList<>(List.of("README.md"));
        try (Stream<Path> files = Files.walk(Path.of("docs"))) {
            files.map(Path::toString).filter(p -> p.endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** For each yaml block of the page, whether the line before its fence marks it as parsed only. */
    private static List<Boolean> parsedOnly(String markdown) {
        List<Boolean> marks = new ArrayList<>();
        String previous = "";
        for (String line : markdown.lines().toList()) {
            if (line.strip().equals("```yaml")) {
                marks.add(previous.strip().startsWith(PARSED_ONLY));
            }
            if (!line.isBlank()) {
                previous = line;
            }
        }
        return marks;
    }

    @SuppressWarnings("unchecked")
    private static void load(String page, String block) throws Exception {
        boolean steps = block.startsWith("- to:");
        String yaml = steps ? """
                - route:
                    from:
                      uri: direct:docs
                      steps:
                %s""".formatted(block.indent(8)) : block;
        // the environment variables of the examples are not set here
        yaml = yaml.replaceAll("\\{\\{env:[A-Z_]+}}", "changeit");

        List<String> beans = new ArrayList<>();
        int routes = 0;
        int templates = 0;
        for (Object entry : (List<Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml)) {
            Map<String, Object> node = (Map<String, Object>) entry;
            if (node.containsKey("beans")) {
                ((List<Map<String, Object>>) node.get("beans")).forEach(bean -> beans.add((String) bean.get("name")));
            }
            routes += node.containsKey("route") || node.containsKey("templatedRoute") ? 1 : 0;
            templates += node.containsKey("routeTemplate") ? 1 : 0;
        }

        CamelContext camel = new DefaultCamelContext();
        try {
            camel.getPropertiesComponent().setInitialProperties(properties());
            YamlCamel.load(camel, yaml);
            for (String bean : beans) {
                assertNotNull(camel.getRegistry().lookupByName(bean), page + ": bean " + bean + " not bound\n" + block);
            }
            Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
            assertEquals(routes, model.getRouteDefinitions().size(), page + ": routes of\n" + block);
            assertEquals(templates, model.getRouteTemplateDefinitions().size(),
                    page + ": route templates of\n" + block);
            assertFalse(beans.isEmpty() && routes == 0 && templates == 0, page + ": nothing to load in\n" + block);
        } finally {
            camel.stop();
        }
    }

    private static Properties properties() throws IOException {
        Properties properties = new Properties();
        try (InputStream shipped = Files.newInputStream(Path.of("application.properties"))) {
            properties.load(shipped);
        }
        properties.putAll(PROPERTIES);
        return properties;
    }
}
