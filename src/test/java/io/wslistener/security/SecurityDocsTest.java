package io.wslistener.security;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.wslistener.policy.FileTokenHeaders;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.source.PemKeyStoreParameters;
import io.wslistener.testsupport.Docs;
import io.wslistener.testsupport.YamlCamel;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The YAML of docs/security.md, read out of the page and loaded as printed (environment placeholders aside): every
 * bean binds, with the values the text says.
 */
class SecurityDocsTest {

    @Test
    void everyYamlBlockLoads() throws Exception {
        List<String> blocks = yamlBlocks();
        assertEquals(8, blocks.size(), "yaml blocks in docs/security.md");
        // the Prometheus configuration and the Kubernetes Deployment are not Camel YAML (KubernetesManifestTest)
        List<String> camelBlocks = blocks.stream()
                .filter(block -> block.contains("- beans:") || block.contains("- route:")).toList();
        assertEquals(6, camelBlocks.size());
        for (String block : camelBlocks) {
            load(block).stop();
        }
    }

    @Test
    void theTlsBeanHasItsStoresAndProtocols() throws Exception {
        CamelContext camel = load(yamlBlocks().get(1));
        SSLContextParameters tls = camel.getRegistry().lookupByNameAndType("feedTls", SSLContextParameters.class);

        assertEquals("file:/etc/ws-listener/ca.p12", tls.getTrustManagers().getKeyStore().getResource());
        assertEquals("PKCS12", tls.getTrustManagers().getKeyStore().getType());
        assertEquals("file:/etc/ws-listener/client.p12", tls.getKeyManagers().getKeyStore().getResource());
        assertEquals(List.of("TLSv1.3"), tls.getSecureSocketProtocols().getSecureSocketProtocol());
        camel.stop();
    }

    @Test
    void thePemBeansGoWhereAKeyStoreGoes() throws Exception {
        CamelContext camel = load(yamlBlocks().get(2));
        SSLContextParameters tls = camel.getRegistry().lookupByNameAndType("feedTls", SSLContextParameters.class);

        assertSame(camel.getRegistry().lookupByName("feedCa"), tls.getTrustManagers().getKeyStore());
        PemKeyStoreParameters client = (PemKeyStoreParameters) tls.getKeyManagers().getKeyStore();
        assertEquals("file:/etc/ws-listener/client.key", client.getKeyResource());
        camel.stop();
    }

    @Test
    void theTokenFileBeanAndItsDefaults() throws Exception {
        CamelContext camel = load(yamlBlocks().get(3));
        FileTokenHeaders token = camel.getRegistry().lookupByNameAndType("feedToken", FileTokenHeaders.class);
        WsListenerRoutePolicy policy = camel.getRegistry().lookupByNameAndType("feedPolicy",
                WsListenerRoutePolicy.class);

        assertEquals("/run/secrets/feed-token", token.getFile());
        assertEquals("Authorization", token.getHeader());
        assertEquals("Bearer ", token.getPrefix());
        assertSame(token, policy.getHeadersProvider());
        camel.stop();
    }

    @Test
    void theTokenFileBeanGivesTheUrlItsToken() throws Exception {
        CamelContext camel = load(yamlBlocks().get(5));
        assertEquals("wss://stream.example.com/ws/${bean:feedToken?method=token}",
                camel.getRegistry().lookupByNameAndType("listenKeyPolicy", WsListenerRoutePolicy.class)
                        .getServerUrls());
        assertEquals("/run/secrets/feed/token",
                camel.getRegistry().lookupByNameAndType("feedToken", FileTokenHeaders.class).getFile());
        camel.stop();
    }

    @Test
    void bothFormsOfHandshakeHeadersBind() throws Exception {
        CamelContext camel = load(yamlBlocks().get(4));

        assertEquals(Map.of("Authorization", "Bearer t0k3n", "ClientId", "${env:FEED_CLIENT_ID}"),
                camel.getRegistry().lookupByNameAndType("feedPolicy", WsListenerRoutePolicy.class)
                        .getHandshakeHeaders());
        assertEquals(Map.of("Authorization", "Bearer t0k3n"),
                camel.getRegistry().lookupByNameAndType("otherPolicy", WsListenerRoutePolicy.class)
                        .getHandshakeHeaders());
        camel.stop();
    }

    private static CamelContext load(String yaml) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("feed.token", "t0k3n");
        camel.getPropertiesComponent().setInitialProperties(properties);
        // the environment variables of the examples are not set here
        String withoutEnvironment = yaml.replaceAll("\\{\\{env:[A-Z_]+}}", "changeit");
        YamlCamel.load(camel, withoutEnvironment);
        return camel;
    }

    private static List<String> yamlBlocks() throws Exception {
        List<String> blocks = Docs.yamlBlocks(Docs.section("docs/security.md", "Security"));
        assertTrue(!blocks.isEmpty());
        return blocks;
    }
}
