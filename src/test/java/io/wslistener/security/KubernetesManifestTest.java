package io.wslistener.security;

import java.io.FileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.wslistener.testsupport.Docs;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Deployment of examples/kubernetes (shown in docs/security.md as it is) matches the shipped properties: the
 * management port, the probe paths, a management host the kubelet reaches, the stop budget within the grace period,
 * the token file from a Secret where the route reads it, and a memory limit above the heap.
 */
class KubernetesManifestTest {

    private static final Path MANIFEST = Path.of("examples/kubernetes/deployment.yaml");

    @Test
    void theDocsShowTheExampleAsItIs() throws Exception {
        String manifest = Files.readString(MANIFEST);
        List<String> blocks = Docs.yamlBlocks(Docs.page("docs/security.md"));
        assertTrue(blocks.stream().anyMatch(block -> manifest.strip().endsWith(block.strip())),
                "docs/security.md shows " + MANIFEST);
    }

    @Test
    @SuppressWarnings("unchecked")
    void pathsPortsAndLimitsMatchTheShippedProperties() throws Exception {
        Properties shipped = new Properties();
        try (FileReader reader = new FileReader("application.properties")) {
            shipped.load(reader);
        }
        Map<String, Object> deployment = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(MANIFEST));
        Map<String, Object> pod = map(map(deployment, "spec", "template"), "spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);

        Map<String, Object> port = ((List<Map<String, Object>>) container.get("ports")).get(0);
        assertEquals("management", port.get("name"));
        assertEquals(Integer.parseInt(shipped.getProperty("camel.management.port").strip()),
                port.get("containerPort"));
        String healthPath = shipped.getProperty("camel.management.healthPath").strip();
        assertEquals(Map.of("path", healthPath + "/live", "port", "management"),
                map(container, "livenessProbe", "httpGet"));
        assertEquals(Map.of("path", healthPath + "/ready", "port", "management"),
                map(container, "readinessProbe", "httpGet"));

        Map<String, String> env = new java.util.HashMap<>();
        for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
            env.put((String) variable.get("name"), (String) variable.get("value"));
        }
        assertEquals("0.0.0.0", env.get("CAMEL_MANAGEMENT_HOST"), "the kubelet reaches the probes");
        assertEquals("false", shipped.getProperty("camel.management.devConsoleEnabled").strip(),
                "with the console off, ws-listener starts on 0.0.0.0");

        int shutdownTimeout = Integer.parseInt(shipped.getProperty("camel.main.shutdownTimeout").strip());
        assertTrue(shutdownTimeout + 1 <= (Integer) pod.get("terminationGracePeriodSeconds"));

        String tokenFile = env.get("FEED_TOKENFILE");
        Map<String, Object> mount = ((List<Map<String, Object>>) container.get("volumeMounts")).get(0);
        assertEquals(Path.of(tokenFile).getParent().toString(), mount.get("mountPath"));
        Map<String, Object> volume = ((List<Map<String, Object>>) pod.get("volumes")).get(0);
        assertEquals(mount.get("name"), volume.get("name"));
        assertTrue(((Map<String, Object>) volume.get("secret")).containsKey("secretName"), "from a Secret");

        List<String> command = (List<String>) container.get("command");
        long heapMi = command.stream().filter(arg -> arg.startsWith("-Xmx")).findFirst()
                .map(arg -> Long.parseLong(arg.substring(4, arg.length() - 1))).orElseThrow();
        assertTrue(command.get(command.size() - 1).endsWith("ws-listener.jar"), command.toString());
        long limitMi = Long.parseLong(((String) map(container, "resources", "limits").get("memory")).replace("Mi", ""));
        assertTrue(limitMi >= heapMi + 192, "room beyond the heap: " + limitMi + "Mi for -Xmx" + heapMi + "m");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> from, String... path) {
        Map<String, Object> current = from;
        for (String key : path) {
            current = (Map<String, Object>) current.get(key);
        }
        return current;
    }
}
