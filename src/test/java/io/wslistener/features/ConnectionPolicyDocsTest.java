package io.wslistener.features;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wslistener.connection.ReplyPattern;
import io.wslistener.policy.ConnectionSettings;
import io.wslistener.policy.ServerUrlProvider;
import io.wslistener.policy.WsListenerRoutePolicy;
import io.wslistener.testsupport.Docs;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The YAML of the issue-15 sections of docs/connection-policy.md, loaded as printed: every policy bean binds and its
 * settings validate, with the values the text says.
 */
class ConnectionPolicyDocsTest {

    private static final String PAGE = "docs/connection-policy.md";

    @Test
    void heartbeatExamples() throws Exception {
        List<String> blocks = yamlBlocks(section(PAGE, "Application heartbeat"));
        assertEquals(2, blocks.size());
        ConnectionSettings okx = settings(blocks.get(0), "okxPolicy");
        assertEquals("ping", okx.getPingMessage());
        assertEquals("pong", okx.getPongMessage());
        ConnectionSettings pattern = settings(blocks.get(1), "feedPolicy");
        ReplyPattern reply = ReplyPattern.of(pattern.getPongMessage());
        assertTrue(reply.matches("{\"op\":\"pong\",\"ts\":1733000000}"));
        assertFalse(reply.matches("{\"op\":\"pong\",\"ts\":\"soon\"}"));
        // the pattern the option's table shows is anchored: an ordinary message that contains a reply is data
        String row = section(PAGE, "Application heartbeat").lines().filter(l -> l.startsWith("| `pongMessage`"))
                .findFirst().orElseThrow();
        Matcher example = Pattern.compile("`(regex:[^`]+)`").matcher(row);
        assertTrue(example.find(), row);
        ReplyPattern documented = ReplyPattern.of(example.group(1));
        assertTrue(documented.matches("{\"op\":\"pong\"}"));
        assertTrue(documented.matches("{\"op\":\"pong\",\"ts\":1733000000}"));
        assertFalse(documented.matches("{\"op\":\"trade\",\"quote\":{\"op\":\"pong\"}}"), example.group(1));
    }

    @Test
    void subscribeAckExample() throws Exception {
        List<String> blocks = yamlBlocks(section(PAGE, "Subscribe acknowledgement"));
        assertEquals(1, blocks.size());
        ConnectionSettings trades = settings(blocks.get(0), "tradesPolicy");
        assertEquals(Duration.ofSeconds(5), trades.getSubscribeAckTimeout());
        assertEquals(List.of("{\"op\":\"subscribe\",\"args\":[\"trades\"]}"), trades.openMessageList());
        assertTrue(ReplyPattern.orAny(trades.getSubscribeAck()).matches("{\"event\": \"subscribed\",\"id\":1}"));
    }

    @Test
    void maxConnectionAgeExample() throws Exception {
        List<String> blocks = yamlBlocks(section(PAGE, "Planned reconnect"));
        assertEquals(1, blocks.size());
        assertEquals(Duration.ofHours(23), settings(blocks.get(0), "binancePolicy").getMaxConnectionAge());
    }

    @Test
    void closeCodesExample() throws Exception {
        List<String> blocks = yamlBlocks(section(PAGE, "Close codes and"));
        assertEquals(1, blocks.size());
        ConnectionSettings feed = settings(blocks.get(0), "feedPolicy");
        assertEquals(java.util.Set.of(1001, 1012, 4500), feed.redeployCloseCodeSet());
        assertEquals(java.util.Set.of(1013, 4429), feed.backoffCloseCodeSet());
        assertEquals(java.util.Set.of(429, 503), feed.retryAfterStatusSet());
        assertEquals(Duration.ofMinutes(2), feed.getMaxDelay());
    }

    @Test
    void urlPerConnectExamples() throws Exception {
        List<String> blocks = yamlBlocks(section(PAGE, "A URL computed on every connect"));
        assertEquals(2, blocks.size());
        ConnectionSettings userStream = settings(blocks.get(0), "userStreamPolicy");
        assertEquals("wss://fstream.example.com/ws/${bean:listenKeys?method=fetch}?timeUnit=MILLISECOND",
                userStream.getServerUrls());
        assertEquals(Duration.ofSeconds(15), userStream.getConnectTimeout());

        CamelContext camel = new DefaultCamelContext();
        ServerUrlProvider signedUrls = (routeId, url) -> url + "?ts=" + System.currentTimeMillis();
        camel.getRegistry().bind("signedUrls", signedUrls);
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("docs.yaml", blocks.get(1)));
        assertSame(signedUrls,
                camel.getRegistry().lookupByNameAndType("signedPolicy", WsListenerRoutePolicy.class).getUrlProvider());
        camel.stop();
    }

    @Test
    void severalUrlsExample() throws Exception {
        List<String> blocks = yamlBlocks(section(PAGE, "Several server URLs"));
        assertEquals(1, blocks.size());
        String yaml = blocks.get(0).replace("{{env:FEED_KEY}}", "k3y"); // the environment variable is not set here
        ConnectionSettings failover = settings(yaml, "failoverPolicy");
        assertEquals("wss://feed-a.example.com/v1/stream?apiKey=k3y\nwss://feed-b.example.com/v1/stream?apiKey=k3y\n",
                failover.getServerUrls());
    }

    @Test
    void proxyExamples() throws Exception {
        List<String> blocks = yamlBlocks(section(PAGE, "HTTP CONNECT and SOCKS5 proxies"));
        assertEquals(2, blocks.size());
        String yaml = blocks.get(0).replace("{{env:PROXY_PASSWORD}}", "s3cret"); // the environment variable is not set here
        assertEquals("http://feed:s3cret@proxy.corp.example:3128", settings(yaml, "corporatePolicy").getProxy());
        assertEquals("socks5://127.0.0.1:1080", settings(blocks.get(1), "tunnelPolicy").getProxy());
    }

    // --- plumbing

    /** Loads the block into a context that is not started, and validates the named policy's settings. */
    static ConnectionSettings settings(String yaml, String policyName) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("docs.yaml", yaml));
            WsListenerRoutePolicy policy = camel.getRegistry().lookupByNameAndType(policyName,
                    WsListenerRoutePolicy.class);
            return policy.settingsFor("docs", camel);
        } finally {
            camel.stop();
        }
    }

    static String section(String page, String title) {
        return Docs.section(page, title);
    }

    static List<String> yamlBlocks(String markdown) {
        return Docs.yamlBlocks(markdown);
    }
}
