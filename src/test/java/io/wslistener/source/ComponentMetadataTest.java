package io.wslistener.source;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.wslistener.support.WsListenerConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component metadata that camel-component-maven-plugin generates, read the way Camel's tooling reads it: every
 * option and header with its description, ws-listener as an extension of vertx-websocket.
 */
class ComponentMetadataTest {

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

    /** Where Camel's tooling looks for it: next to the component class found for the scheme. */
    private static JsonObject schema(String scheme) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            Class<?> component = camel.getComponent(scheme).getClass();
            String path = "META-INF/" + component.getPackageName().replace('.', '/') + "/" + scheme + ".json";
            try (InputStream json = component.getClassLoader().getResourceAsStream(path)) {
                assertNotNull(json, "no generated metadata at " + path);
                return (JsonObject) Jsoner.deserialize(new String(json.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }
}
