package io.wslistener.connection;

import java.util.List;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;
import io.vertx.core.http.WebSocket;

/**
 * Bounds what permessage-deflate may inflate a frame to. Vert.x negotiates the extension (when {@code clientOptions}
 * ask for it) with Netty's decoder at no limit, and checks {@code maxMessageSize} only on the wire size of a frame and
 * on the inflated message once it is whole: a small compressed frame could inflate to gigabytes first (a decompression
 * bomb). This swaps the decoder for Netty's own with {@code maxAllocation} set, so that inflating stops, with an error
 * the loop turns into a close with 1009, as soon as one frame would exceed {@code maxMessageSize}; a message of
 * several frames is bounded by Vert.x's check of the message size after each frame.
 */
final class InflateLimit {

    private static final String PER_MESSAGE_DEFLATE = "permessage-deflate";

    private InflateLimit() {
    }

    /** Called on a connection just opened, before the event loop reads again, like {@link InboundChecks#install}. */
    static void install(WebSocket ws, int maxMessageSize) {
        ChannelPipeline pipeline = VertxInternals.pipeline(ws);
        if (pipeline == null) {
            return;
        }
        for (String name : pipeline.names()) {
            ChannelHandler handler = pipeline.get(name);
            // Netty's class is package-private: known by name
            if (handler != null && handler.getClass().getSimpleName().equals("PerMessageDeflateDecoder")) {
                WebSocketExtensionData negotiated = negotiated(ws);
                WebSocketClientExtension extension = new PerMessageDeflateClientExtensionHandshaker(6, true, 15, true,
                        false,
                        maxMessageSize).handshakeExtension(negotiated);
                if (extension != null) {
                    pipeline.replace(handler, name, extension.newExtensionDecoder());
                }
                return;
            }
        }
    }

    /** The parameters the server accepted (server_no_context_takeover is what the decoder needs to know). */
    private static WebSocketExtensionData negotiated(WebSocket ws) {
        String header = ws.headers() == null ? null : ws.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (header != null) {
            List<WebSocketExtensionData> extensions = WebSocketExtensionUtil.extractExtensions(header);
            for (WebSocketExtensionData extension : extensions) {
                if (PER_MESSAGE_DEFLATE.equals(extension.name())) {
                    return extension;
                }
            }
        }
        return new WebSocketExtensionData(PER_MESSAGE_DEFLATE, java.util.Map.of());
    }
}
