package io.wslistener.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.http.impl.ws.WebSocketFrameInternal;
import io.vertx.core.impl.VertxInternal;

/**
 * Every use of Vert.x internals (classes of {@code io.vertx.core.impl} and {@code io.vertx.core.http.impl}, and the
 * Netty pipeline under a WebSocket), in one place: what Vert.x's public API does not offer. A Vert.x upgrade that
 * moves them touches this class only (ArchitectureTest keeps it so).
 */
public final class VertxInternals {

    private VertxInternals() {
    }

    /** A new event-loop context, so that feeds spread over the event loops instead of sharing the starting thread's. */
    public static Context newEventLoopContext(Vertx vertx) {
        return ((VertxInternal) vertx).createEventLoopContext();
    }

    /** A frame's own payload length: no copy of its payload, exact bytes whatever the text encoding. */
    static int frameLength(WebSocketFrame frame) {
        return ((WebSocketFrameInternal) frame).length();
    }

    /**
     * Closes the TCP connection now. While it reads, Vert.x holds writes back until the read is done: flush first, or
     * a close frame written just before is dropped.
     */
    static void forceClose(WebSocket ws) {
        if (ws instanceof WebSocketInternal internal) {
            internal.channelHandlerContext().flush().close();
        }
    }

    /** The Netty pipeline under a WebSocket (InflateLimit swaps its inflater), or null for one that is not Vert.x's. */
    static ChannelPipeline pipeline(WebSocket ws) {
        return ws instanceof WebSocketInternal internal ? internal.channelHandlerContext().pipeline() : null;
    }

    /**
     * Puts Netty's UTF-8 validation of text messages (fragments included) into the connection's pipeline, right before
     * Vert.x's handler: Vert.x's client decodes text leniently (an invalid byte becomes U+FFFD, silently).
     */
    static void validateUtf8(WebSocket ws) {
        if (ws instanceof WebSocketInternal internal) {
            ChannelHandlerContext handler = internal.channelHandlerContext();
            if (handler.pipeline().get(Utf8FrameValidator.class) == null) {
                handler.pipeline().addBefore(handler.name(), "wslistener-utf8", new AsciiFirstUtf8Validator());
            }
        }
    }
}
