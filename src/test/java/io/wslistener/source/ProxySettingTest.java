package io.wslistener.source;

import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import io.wslistener.policy.InvalidSettingException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProxySettingTest {

    @Test
    void httpAndSocks5WithOrWithoutCredentials() {
        ProxyOptions http = ProxySetting.options("q", "http://proxy.corp:3128");
        assertEquals(ProxyType.HTTP, http.getType());
        assertEquals("proxy.corp", http.getHost());
        assertEquals(3128, http.getPort());
        assertNull(http.getUsername());

        ProxyOptions socks = ProxySetting.options("q", "socks5://me:p%40ss+1@10.0.0.1:1080");
        assertEquals(ProxyType.SOCKS5, socks.getType());
        assertEquals("me", socks.getUsername());
        assertEquals("p@ss+1", socks.getPassword());
    }

    @Test
    void theLogSeesNoPassword() {
        assertEquals("socks5://me:xxxxxx@10.0.0.1:1080", ProxySetting.display("socks5://me:s3cret@10.0.0.1:1080"));
    }

    @Test
    void badSettingsNameTheOptionButNotTheValue() {
        for (String bad : new String[]{ "https://me:s3cret@p:1", "http://me:s3cret@p", "socks4://p:1",
                "http://p:1/path",
                "http://me:s3cret@:1" }) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class,
                    () -> ProxySetting.options("q", bad));
            assertEquals("proxy", e.getOption());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }
}
