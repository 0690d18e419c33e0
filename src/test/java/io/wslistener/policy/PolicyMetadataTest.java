package io.wslistener.policy;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.CatalogCamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Metadata;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bean metadata of {@link WsListenerRoutePolicy} that the build generates (camel-package-maven-plugin's
 * {@code generate-pojo-bean}, into target/classes/META-INF/services/org/apache/camel/bean), found the way Camel finds
 * it: it lists every option of the policy, compared with the {@code @Metadata} fields of the policy's classes, with its
 * group, type, default, description and secret flag.
 */
class PolicyMetadataTest {

    @Test
    void theGeneratedMetadataListsEveryOptionOfThePolicy() throws Exception {
        JsonObject bean = beanMetadata("WsListenerRoutePolicy");
        assertEquals(WsListenerRoutePolicy.class.getName(), bean.get("javaType"));
        assertEquals("org.apache.camel.spi.RoutePolicy", bean.get("interfaceType"));
        Map<String, Object> properties = bean.getMap("properties");

        List<Field> fields = metadataFields(WsListenerRoutePolicy.class);
        assertEquals(fields.stream().map(Field::getName).toList(), List.copyOf(properties.keySet()),
                "the options, in the order of the classes");
        for (Field field : fields) {
            Metadata declared = field.getAnnotation(Metadata.class);
            Map<?, ?> option = (Map<?, ?>) properties.get(field.getName());
            String name = field.getName();
            assertEquals(declared.description(), option.get("description"), name);
            assertEquals(declared.label(), option.get("label"), name);
            assertEquals(declared.secret(), option.get("secret"), name);
            assertEquals(declared.javaType().isEmpty() ? field.getType().getName() : declared.javaType(),
                    option.get("javaType"), name);
            // written as a number or a boolean where the type is one: compared as text
            assertEquals(declared.defaultValue().isEmpty() ? null : declared.defaultValue(),
                    option.get("defaultValue") == null ? null : String.valueOf(option.get("defaultValue")), name);
        }
    }

    @Test
    void theSettingsThatToolingMostNeedsAreThere() throws Exception {
        Map<String, Object> properties = beanMetadata("WsListenerRoutePolicy").getMap("properties");
        for (String option : List.of("pingInterval", "pongTimeout", "maxConnectionAge", "serverUrls", "proxy")) {
            Map<?, ?> described = (Map<?, ?>) properties.get(option);
            assertNotNull(described, option);
            assertTrue(String.valueOf(described.get("description")).length() > 20, option);
        }
        assertEquals("duration", ((Map<?, ?>) properties.get("pingInterval")).get("type"));
        assertEquals("10s", ((Map<?, ?>) properties.get("pingInterval")).get("defaultValue"));
        assertEquals(true, ((Map<?, ?>) properties.get("proxy")).get("secret"));
    }

    /** What the policy's YAML binding and the defaults are made of is what the metadata lists, no more, no less. */
    @Test
    void theBindingKnowsTheSameOptions() throws Exception {
        Map<String, Object> properties = beanMetadata("WsListenerRoutePolicy").getMap("properties");

        assertEquals(List.copyOf(properties.keySet()), SettingOptions.all().stream().map(SettingOptions.Option::name)
                .toList());
    }

    /** The fields with {@code @Metadata} of the class, then of its superclasses, as Camel's generator collects them. */
    private static List<Field> metadataFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.isAnnotationPresent(Metadata.class)) {
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    private static JsonObject beanMetadata(String name) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            String json = ((CatalogCamelContext) camel).getPojoBeanParameterJsonSchema(name);
            assertNotNull(json, "no bean metadata for " + name);
            return (JsonObject) ((JsonObject) Jsoner.deserialize(json)).get("bean");
        }
    }
}
