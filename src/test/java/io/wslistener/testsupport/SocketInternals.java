package io.wslistener.testsupport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * The Vert.x and Netty internals a {@link TestWebSocketServer} needs to misbehave the way real servers do, where
 * Vert.x's public API only behaves well: drop a socket without a close frame, stop reading it, swallow the client's
 * pings (or close frames) before Vert.x answers them, and write frames as given (invalid UTF-8 included). The only test support class
 * that touches {@code io.vertx.core.http.impl} or Netty; its socket methods run on the socket's event loop.
 */
final class SocketInternals {

    private SocketInternals() {
    }

    /** Closes the TCP connection without a close frame. */
    static void closeWithoutCloseFrame(ServerWebSocket ws) {
        // close() on Vert.x's own handler context skips that handler, whose close() would send a close frame
        channel(ws).close();
    }

    /** Stops reading, like a half-open peer: what the client sends stays unread, TCP stays open. */
    static void stopReading(ServerWebSocket ws) {
        channel(ws).channel().config().setAutoRead(false);
    }

    /**
     * Takes ping frames out of the Netty pipeline before Vert.x sees them (Vert.x answers pings by itself), calling
     * {@code onPing} for each: the socket never answers with a pong.
     */
    static void ignorePings(ServerWebSocket ws, Runnable onPing) {
        swallow(ws, "test-ignore-pings", PingWebSocketFrame.class, onPing);
    }

    /**
     * Takes close frames out of the Netty pipeline before Vert.x sees them (Vert.x answers a close by itself), calling
     * {@code onClose} for each: the socket never answers the client's close and stays open.
     */
    static void ignoreCloseFrames(ServerWebSocket ws, Runnable onClose) {
        swallow(ws, "test-ignore-close", CloseWebSocketFrame.class, onClose);
    }

    /** A copy of the frame, content and all, so that one frame can be written to several sockets. */
    static WebSocketFrame copy(WebSocketFrame f) {
        return new WebSocketFrameImpl(f.type(), f.binaryData().copy().getByteBuf(), f.isFinal());
    }

    private static void swallow(ServerWebSocket ws, String name, Class<?> frameType, Runnable onSwallowed) {
        ChannelHandlerContext vertxHandler = channel(ws);
        vertxHandler.pipeline().addBefore(vertxHandler.name(), name, new ChannelInboundHandlerAdapter() {

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (frameType.isInstance(msg)) {
                    ReferenceCountUtil.release(msg);
                    onSwallowed.run();
                    return;
                }
                ctx.fireChannelRead(msg);
            }
        });
    }

    private static ChannelHandlerContext channel(ServerWebSocket ws) {
        return ((WebSocketInternal) ws).channelHandlerContext();
    }
}
