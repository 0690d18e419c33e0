package io.wslistener.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;

/**
 * Netty's UTF-8 check of text messages, with a fast path for the common case of a whole text message in one frame
 * that is plain ASCII (most JSON feeds): eight bytes at a time instead of Netty's state machine per byte, which was
 * the largest single cost on the event loop. Anything else (a byte above 0x7F, a message in several frames) goes
 * through Netty's check unchanged, so invalid text still closes with 1007.
 * <p>
 * Skipping Netty's check for such a frame leaves its state as it is, which is right: a final text frame can only
 * start and end a message, when no fragmented message is open (Netty's decoder rejects it otherwise).
 */
final class AsciiFirstUtf8Validator extends Utf8FrameValidator {

    private static final long HIGH_BITS = 0x8080808080808080L;

    AsciiFirstUtf8Validator() {
        super(false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof TextWebSocketFrame frame && frame.isFinalFragment() && isAscii(frame.content())) {
            ctx.fireChannelRead(msg);
        } else {
            super.channelRead(ctx, msg);
        }
    }

    static boolean isAscii(ByteBuf bytes) {
        int i = bytes.readerIndex();
        int end = bytes.writerIndex();
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            if ((bytes.getLong(i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (bytes.getByte(i) < 0) {
                return false;
            }
        }
        return true;
    }
}
