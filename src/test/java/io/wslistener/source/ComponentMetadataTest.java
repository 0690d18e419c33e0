package io.wslistener.source;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.wslistener.support.WsListenerConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.CatalogCamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Metadata;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component metadata that camel-component-maven-plugin generates, read the way Camel's tooling reads it: every
 * option and header with its description, ws-listener as an extension of vertx-websocket, and only options that a
 * {@code ws-listener:} URI takes.
 */
class ComponentMetadataTest {

    private static final String URI = "ws-listener:localhost:8080/feed";

    @ParameterizedTest
    @ValueSource(strings = { "ws-listener", "sink-file", "sink-http" })
    void everyOptionHasADescription(String scheme) throws Exception {
        JsonObject schema = schema(scheme);

        Map<String, Object> properties = schema.getMap("properties");
        assertFalse(properties.isEmpty(), scheme);
        properties.forEach((name, option) -> assertFalse(
                String.valueOf(((Map<?, ?>) option).get("description")).isBlank(), scheme + " option " + name));
    }

    @Test
    void wsListenerExtendsVertxWebsocketAndDocumentsItsHeaders() throws Exception {
        JsonObject schema = schema("ws-listener");

        assertEquals("vertx-websocket", schema.getMap("component").get("extendsScheme"));
        assertEquals(true, schema.getMap("component").get("consumerOnly"));
        Map<String, Object> headers = schema.getMap("headers");
        for (String header : new String[]{ WsListenerConstants.ROUTE_ID, WsListenerConstants.CONNECTION,
                WsListenerConstants.SEQUENCE }) {
            Map<?, ?> described = (Map<?, ?>) headers.get(header);
            assertNotNull(described, header);
            assertTrue(String.valueOf(described.get("description")).length() > 10, header);
        }
    }

    /**
     * Each option the metadata lists is given a value of its type on a ws-listener URI, the way a user who trusts a
     * tool's completion would write it; the endpoint must take it. A refused option (one that vertx-websocket has and
     * ws-listener turns down) fails here until the endpoint's {@code @Metadata(excludeProperties)} names it.
     */
    @Test
    void wsListenerAdvertisesOnlyOptionsItsUriTakes() throws Exception {
        Map<String, Object> properties = schema("ws-listener").getMap("properties");
        List<String> refused = new ArrayList<>();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            properties.forEach((name, option) -> {
                Map<?, ?> described = (Map<?, ?>) option;
                if ("path".equals(described.get("kind"))) {
                    return; // host, port and path are in URI itself
                }
                String parameter = described.get("prefix") != null ? described.get("prefix") + "X-Sample"
                        : name;
                try {
                    camel.getEndpoint(URI + "?" + parameter + "=" + sampleValue(camel, name, described));
                } catch (RuntimeException e) {
                    refused.add(name + " (" + e.getMessage() + ")");
                }
            });
        }
        assertEquals(List.of(), refused, "options in ws-listener.json that a ws-listener: URI refuses");
    }

    /** The other way round: what the metadata leaves out is what the URI refuses, not an option that works. */
    @Test
    void theOptionsLeftOutOfTheMetadataAreRefusedByTheUri() throws Exception {
        String[] excluded = WsListenerEndpoint.class.getAnnotation(Metadata.class).excludeProperties().split(",");
        Map<String, Object> properties = schema("ws-listener").getMap("properties");
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            for (String option : excluded) {
                assertFalse(properties.containsKey(option), option + " is still listed");
                assertThrows(RuntimeException.class, () -> camel.getEndpoint(URI + "?" + option + "=1"), option);
            }
        }
    }

    /** A value of the option's type: a bean of its class (or interface) for an object, bound in the registry. */
    private static String sampleValue(CamelContext camel, String name, Map<?, ?> option) {
        switch (String.valueOf(option.get("type"))) {
            case "boolean" :
                return "true";
            case "integer" :
                return "1";
            case "string" :
                return "sample";
            case "enum" :
                return String.valueOf(((List<?>) option.get("enum")).get(0));
            default :
                break;
        }
        if (option.get("prefix") != null) {
            return "sample";
        }
        try {
            Class<?> type = camel.getClassResolver().resolveMandatoryClass((String) option.get("javaType"));
            Object bean = type.isInterface()
                    ? Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{ type }, (p, m, a) -> null)
                    : type.getConstructor().newInstance();
            camel.getRegistry().bind("sample-" + name, bean);
            return "#bean:sample-" + name;
        } catch (Exception e) {
            throw new IllegalStateException("no sample value for " + name + " of type " + option.get("javaType"), e);
        }
    }

    /** Where Camel's tooling looks for it: next to the component class found for the scheme. */
    private static JsonObject schema(String scheme) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            String json = ((CatalogCamelContext) camel).getComponentParameterJsonSchema(scheme);
            assertNotNull(json, "no generated metadata for " + scheme);
            return (JsonObject) Jsoner.deserialize(json);
        }
    }
}
