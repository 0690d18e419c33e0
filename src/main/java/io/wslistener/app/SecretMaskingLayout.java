package io.wslistener.app;

import java.util.Map;

import io.wslistener.support.UriMasking;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.layout.AbstractStringLayout;

/**
 * A log4j layout that writes what the layout inside it writes, with every secret masked: the values registered with
 * {@link io.wslistener.support.SecretValues} and the secret query parameters of URLs. It masks the whole line (message,
 * exception and stack trace, JSON fields), whoever logged it: Camel's start-up summary, Vert.x, ws-listener. The
 * standalone application's {@code ws-listener/log4j2.properties} wraps both of its layouts in it; a host application
 * that logs with log4j can do the same:
 *
 * <pre>
 * appender.console.layout.type = SecretMasking
 * appender.console.layout.inner.type = PatternLayout
 * appender.console.layout.inner.pattern = %d %-5level %c{1} - %msg%n
 * </pre>
 */
@Plugin(name = "SecretMasking", category = Node.CATEGORY, elementType = Layout.ELEMENT_TYPE, printObject = true)
public final class SecretMaskingLayout extends AbstractStringLayout {

    private final StringLayout layout;

    private SecretMaskingLayout(StringLayout layout) {
        super(layout.getCharset());
        this.layout = layout;
    }

    @PluginFactory
    public static SecretMaskingLayout createLayout(@PluginElement("Layout") Layout<?> layout) {
        if (!(layout instanceof StringLayout text)) {
            throw new IllegalArgumentException("SecretMasking needs a text layout inside it (PatternLayout, "
                    + "JsonTemplateLayout), got " + (layout == null ? "none" : layout.getClass().getSimpleName()));
        }
        return new SecretMaskingLayout(text);
    }

    @Override
    public String toSerializable(LogEvent event) {
        return UriMasking.maskUrlsIn(layout.toSerializable(event));
    }

    @Override
    public String getContentType() {
        return layout.getContentType();
    }

    @Override
    public Map<String, String> getContentFormat() {
        return layout.getContentFormat();
    }

    @Override
    public byte[] getHeader() {
        return layout.getHeader();
    }

    @Override
    public byte[] getFooter() {
        return layout.getFooter();
    }
}
