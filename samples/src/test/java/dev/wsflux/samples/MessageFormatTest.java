package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.wsflux.core.Message;
import dev.wsflux.protocol.FrameObserver;
import dev.wsflux.protocol.frames.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MessageFormatTest {
    @Test
    void plainTextIsPrintedAsIs() {
        String text = "Grüße, 世界 ✓";
        assertSame(text, MessageFormat.escape(text));
    }

    @Test
    void controlCharactersAreEscapedSoThePeerCannotDriveTheTerminal() {
        // ESC [ 3 1 m would turn the terminal red; C1 CSI (U+009B) likewise.
        assertEquals(
                "a\\nb\\rc\\td\\\\e\\x1b[31m\\x7f\\u009b", MessageFormat.escape("a\nb\rc\td\\e\u001b[31m\u007f\u009b"));
    }

    @Test
    void binaryIsLowerCaseHexOfTheRemainingBytes() {
        ByteBuffer bytes = ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x00, 0x0a, 0x7f});
        bytes.position(1);
        assertEquals("000a7f", MessageFormat.hex(bytes));
        assertEquals(1, bytes.position());
    }

    @Test
    void opcodeComesFirstUnderVerbose() {
        assertEquals("text: hi\\n", MessageFormat.withOpcode(Message.text("hi\n")));
        assertEquals("binary: 0102", MessageFormat.withOpcode(Message.binary(new byte[] {1, 2})));
    }

    @Nested
    class Frames {
        private static final FrameObserver.Direction IN = FrameObserver.Direction.RECEIVED;
        private static final FrameObserver.Direction OUT = FrameObserver.Direction.SENT;

        private ByteBuffer utf8(String text) {
            return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void controlFramesShowTheirLengthAndPayloadWithoutFin() {
            assertEquals("< PING [2 bytes] 6869", MessageFormat.frame(IN, Opcode.PING, true, 0, utf8("hi"), false));
            assertEquals(
                    "> PONG [0 bytes]", MessageFormat.frame(OUT, Opcode.PONG, true, 0, ByteBuffer.allocate(0), false));
            assertEquals(
                    "> CLOSE [1 byte] 03",
                    MessageFormat.frame(OUT, Opcode.CLOSE, true, 0, ByteBuffer.wrap(new byte[] {3}), false));
        }

        @Test
        void aCloseShowsItsCodeAndEscapedReason() {
            ByteBuffer payload = ByteBuffer.allocate(5).putShort((short) 4000).put(utf8("b\u001by"));
            assertEquals(
                    "< CLOSE [5 bytes] 4000 b\\x1by",
                    MessageFormat.frame(IN, Opcode.CLOSE, true, 0, payload.flip(), false));
        }

        @Test
        void dataFramesShowFinAndRsvBitsAndTextQuotedAndEscaped() {
            assertEquals(
                    "> TEXT fin rsv1 [5 bytes] \"a\\nb\u00e9\"",
                    MessageFormat.frame(OUT, Opcode.TEXT, true, 0b100, utf8("a\nbé"), true));
            assertEquals(
                    "< CONTINUATION rsv2 rsv3 [2 bytes] \"ok\"",
                    MessageFormat.frame(IN, Opcode.CONTINUATION, false, 0b011, utf8("ok"), true));
            assertEquals(
                    "< BINARY fin [2 bytes] 0102",
                    MessageFormat.frame(IN, Opcode.BINARY, true, 0, ByteBuffer.wrap(new byte[] {1, 2}), false));
        }

        @Test
        void longPayloadsAreElidedToAboutOneLine() {
            assertEquals(
                    "< TEXT fin [200 bytes] \"" + "x".repeat(74) + "…\"",
                    MessageFormat.frame(IN, Opcode.TEXT, true, 0, utf8("x".repeat(200)), true));
            assertEquals(
                    "< BINARY fin [100 bytes] " + "00".repeat(37) + "…",
                    MessageFormat.frame(IN, Opcode.BINARY, true, 0, ByteBuffer.allocate(100), false));
        }

        @Test
        void thePayloadIsNotMoved() {
            ByteBuffer payload = utf8("hi");
            MessageFormat.frame(IN, Opcode.TEXT, true, 0, payload, true);
            assertEquals(2, payload.remaining());
        }
    }
}
