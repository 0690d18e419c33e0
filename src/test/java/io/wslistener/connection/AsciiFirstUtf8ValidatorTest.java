package io.wslistener.connection;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsciiFirstUtf8ValidatorTest {

    @Test
    void aByteAboveSevenBitsIsFoundAtEveryPositionOfTheWordsAndOfTheTail() {
        for (int length = 1; length <= 40; length++) {
            byte[] text = new byte[length];
            Arrays.fill(text, (byte) 'x');
            assertTrue(AsciiFirstUtf8Validator.isAscii(Unpooled.wrappedBuffer(text)), "all ASCII, length " + length);
            for (int at = 0; at < length; at++) {
                byte[] withHigh = text.clone();
                withHigh[at] = (byte) 0xC3;
                assertFalse(AsciiFirstUtf8Validator.isAscii(Unpooled.wrappedBuffer(withHigh)),
                        "0xC3 at " + at + " of " + length);
            }
        }
    }

    @Test
    void onlyTheReadableBytesAreChecked() {
        ByteBuf bytes = Unpooled.buffer(32)
                .writeBytes(new byte[]{ (byte) 0xFF, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i' });
        bytes.readerIndex(1);
        assertTrue(AsciiFirstUtf8Validator.isAscii(bytes), "the byte before the reader index is not part of the frame");
        bytes.writeByte(0x80);
        assertFalse(AsciiFirstUtf8Validator.isAscii(bytes));
    }
}
