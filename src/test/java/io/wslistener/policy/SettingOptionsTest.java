package io.wslistener.policy;

import java.time.Duration;
import java.util.Properties;

import io.wslistener.support.Durations;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every option of {@link ConnectionSettings} gets from being a {@code @Metadata} field, checked for all of them,
 * so that a new one is covered without a line here: a description, a getter and a setter, binding on the policy bean,
 * a {@code wslistener.*} property, strict durations.
 */
class SettingOptionsTest {

    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void everyOptionIsDescribedAndHasAGetterAndASetter() throws Exception {
        assertFalse(SettingOptions.all().isEmpty());
        for (SettingOptions.Option option : SettingOptions.all()) {
            assertFalse(option.description().isBlank(), option.name());
            String property = Character.toUpperCase(option.name().charAt(0)) + option.name().substring(1);
            assertEquals(option.type(), ConnectionSettings.class.getMethod("get" + property).getReturnType(),
                    option.name());
            assertNotNull(ConnectionSettings.class.getMethod("set" + property, option.type()), option.name());
        }
    }

    @Test
    void everyOptionWithADefaultBindsOnThePolicyBeanAsWritten() {
        WsListenerRoutePolicyConfigurer configurer = new WsListenerRoutePolicyConfigurer();
        WsListenerRoutePolicy policy = new WsListenerRoutePolicy();
        ConnectionSettings defaults = ConnectionSettings.defaults();
        for (SettingOptions.Option option : SettingOptions.all()) {
            if (option.defaultValue() != null) {
                assertTrue(configurer.configure(camel, policy, option.name(), option.defaultValue(), true),
                        option.name());
                assertEquals(option.get(defaults), option.get(policy), option.name());
            }
        }
    }

    @Test
    void everyOptionAPropertyCanSetIsReadFromItsWsListenerProperty() {
        Properties properties = new Properties();
        ConnectionSettings expected = ConnectionSettings.defaults();
        for (SettingOptions.Option option : SettingOptions.all()) {
            if (option.settableByProperty() && option.type() == Duration.class) {
                // a value other than the default, so that the property is seen to be read
                Duration value = ((Duration) option.get(expected)).plusMillis(1500);
                properties.setProperty(SettingOptions.PROPERTY_PREFIX + option.name(), value.toMillis() + "ms");
                option.set(expected, value);
            }
        }
        camel.getPropertiesComponent().setInitialProperties(properties);

        ConnectionSettings resolved = SettingOptions.resolve(new ConnectionSettings(), "quotes", camel);

        for (SettingOptions.Option option : SettingOptions.all()) {
            assertEquals(option.get(expected), option.get(resolved), option.name());
        }
    }

    @Test
    void everyDurationIsReadStrictly() {
        WsListenerRoutePolicyConfigurer configurer = new WsListenerRoutePolicyConfigurer();
        for (SettingOptions.Option option : SettingOptions.all()) {
            if (option.type() == Duration.class) {
                for (String lenient : new String[]{ "-5s", "5x", "2 minutes" }) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> configurer.configure(camel, new WsListenerRoutePolicy(), option.name(), lenient,
                                    true));
                    assertTrue(e.getMessage().contains("invalid ws-listener option " + option.name() + "=" + lenient),
                            e.getMessage());
                }
            }
        }
    }

    @Test
    void theDurationFormatReadsBackAsTheSameDuration() {
        for (long millis : new long[]{ 0, 1, 500, 1000, 1500, 59_999, 60_000, 90_000, 3_723_000, 86_400_000 }) {
            String text = Durations.format(Duration.ofMillis(millis));
            if (!text.contains(".")) {
                assertEquals(Duration.ofMillis(millis), Durations.parse(text), text);
            }
        }
        assertEquals("1.5s", Durations.format(Duration.ofMillis(1500)));
        assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
    }
}
