package io.wslistener.connection;

import java.util.function.Consumer;

import io.wslistener.policy.ConnectionSettings;

/**
 * {@link ConnectionSettings} for tests: the documented defaults, changed as a test needs.
 */
public final class TestSettings {

    private TestSettings() {
    }

    public static ConnectionSettings with(Consumer<ConnectionSettings> change) {
        ConnectionSettings settings = ConnectionSettings.defaults();
        change.accept(settings);
        return settings;
    }
}
