package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsflux.protocol.FrameObserver;
import dev.wsflux.protocol.frames.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameTraceTest {

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void describesATextFrameWithItsFlagsAndText() {
        assertEquals("TEXT fin rsv1 [5 bytes] \"hello\"", FrameTrace.describe(Opcode.TEXT, true, 0b100, utf8("hello")));
    }

    @Test
    void elidesLongTextToAboutSeventyFiveCharacters() {
        String line = FrameTrace.describe(Opcode.TEXT, true, 0, utf8("x".repeat(200)));
        assertEquals("TEXT fin [200 bytes] \"" + "x".repeat(73) + "…", line);
    }

    @Test
    void showsBinaryAsElidedHex() {
        assertEquals(
                "BINARY rsv2 rsv3 [3 bytes] 00ff10",
                FrameTrace.describe(Opcode.BINARY, false, 0b011, ByteBuffer.wrap(new byte[] {0, -1, 16})));
        String line = FrameTrace.describe(Opcode.BINARY, true, 0, ByteBuffer.allocate(100));
        assertEquals("BINARY fin [100 bytes] " + "00".repeat(37) + "…", line);
    }

    @Test
    void showsTheCodeAndReasonOfACloseFrame() {
        ByteBuffer payload = ByteBuffer.allocate(5)
                .putShort((short) 1001)
                .put((byte) 'b')
                .put((byte) 'y')
                .put((byte) 'e');
        payload.flip();
        assertEquals("CLOSE fin [5 bytes] 1001 \"bye\"", FrameTrace.describe(Opcode.CLOSE, true, 0, payload));
        ByteBuffer codeOnly = ByteBuffer.allocate(2).putShort(0, (short) 1000);
        assertEquals("CLOSE fin [2 bytes] 1000", FrameTrace.describe(Opcode.CLOSE, true, 0, codeOnly));
    }

    @Test
    void showsAnEmptyPayloadAsItsLengthAlone() {
        assertEquals("PING fin [0 bytes]", FrameTrace.describe(Opcode.PING, true, 0, ByteBuffer.allocate(0)));
    }

    @Test
    void invalidUtf8InAContinuationIsShownAsHex() {
        assertEquals(
                "CONTINUATION [1 bytes] e2",
                FrameTrace.describe(Opcode.CONTINUATION, false, 0, ByteBuffer.wrap(new byte[] {(byte) 0xe2})));
    }

    @Test
    void loggingDoesNotMoveThePayloadWhetherOrNotDebugIsEnabled() {
        ByteBuffer payload = utf8("hi");
        FrameTrace.log("id", FrameObserver.Direction.SENT, Opcode.PONG, true, 0, payload);
        assertEquals(2, payload.remaining());
        assertEquals(
                FrameTrace.enabled(),
                reactor.util.Loggers.getLogger(FrameTrace.LOGGER_NAME).isDebugEnabled());
    }
}
