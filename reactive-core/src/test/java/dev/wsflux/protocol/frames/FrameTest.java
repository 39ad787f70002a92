package dev.wsflux.protocol.frames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The frame record (RFC 6455 §5.2). */
class FrameTest {

    @Nested
    class Payload {
        @Test
        void textFramesHoldUtf8AndAreFinal() {
            String kosme = "\u03ba\u1f79\u03c3\u03bc\u03b5"; // "κόσμε": 2 + 3 + 2 + 2 + 2 UTF-8 bytes
            Frame frame = Frame.text(kosme);
            assertEquals(Opcode.TEXT, frame.opcode());
            assertTrue(frame.fin());
            assertEquals(11, frame.length());
            assertEquals(kosme, frame.payloadText());
        }

        @Test
        void binaryFramesTakeTheArrayWithoutCopying() {
            byte[] bytes = {1, 2, 3};
            Frame frame = Frame.binary(bytes);
            bytes[0] = 9;
            assertArrayEquals(new byte[] {9, 2, 3}, frame.payloadBytes());
        }

        @Test
        void readingThePayloadLeavesItReadableAgain() {
            Frame frame = Frame.binary(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, frame.payloadBytes());
            assertEquals("\u0001\u0002\u0003", frame.payloadText());
            assertEquals(3, frame.length());
            assertEquals(0, frame.payload().position());
        }

        @Test
        void theLengthIsWhatLiesBetweenPositionAndLimit() {
            ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4});
            buffer.position(1).limit(3);
            Frame frame = new Frame(Opcode.BINARY, buffer, true);
            assertEquals(2, frame.length());
            assertArrayEquals(new byte[] {1, 2}, frame.payloadBytes());
        }

        @Test
        void theEmptyPayloadIsEmptyAndReadOnly() {
            ByteBuffer empty = Frame.emptyPayload();
            assertEquals(0, empty.remaining());
            assertThrows(ReadOnlyBufferException.class, () -> empty.put((byte) 0));
        }

        @Test
        void opcodeAndPayloadAreRequired() {
            assertThrows(NullPointerException.class, () -> new Frame(null, ByteBuffer.allocate(0), true));
            assertThrows(NullPointerException.class, () -> new Frame(Opcode.TEXT, null, true));
        }
    }

    @Nested
    class ReservedBits {
        @Test
        void rsvBitsMapToAThreeBitMask() {
            ByteBuffer payload = ByteBuffer.allocate(0);
            assertEquals(0b000, new Frame(Opcode.TEXT, payload, true).rsvBits());
            assertEquals(0b100, new Frame(Opcode.TEXT, payload, true, true, false, false).rsvBits());
            assertEquals(0b010, new Frame(Opcode.TEXT, payload, true, false, true, false).rsvBits());
            assertEquals(0b001, new Frame(Opcode.TEXT, payload, true, false, false, true).rsvBits());
            assertEquals(0b111, new Frame(Opcode.TEXT, payload, true, true, true, true).rsvBits());
        }

        @Test
        void withRsv1ChangesOnlyRsv1() {
            Frame frame = new Frame(Opcode.TEXT, ByteBuffer.allocate(1), false, false, true, true);
            Frame compressed = frame.withRsv1(true);
            assertEquals(new Frame(Opcode.TEXT, frame.payload(), false, true, true, true), compressed);
            assertEquals(frame, compressed.withRsv1(false));
        }

        @Test
        void withPayloadKeepsOpcodeFinAndBits() {
            Frame frame = new Frame(Opcode.CONTINUATION, ByteBuffer.allocate(1), false, true, false, true);
            ByteBuffer other = ByteBuffer.wrap(new byte[] {7, 8});
            Frame replaced = frame.withPayload(other);
            assertSame(other, replaced.payload());
            assertEquals(Opcode.CONTINUATION, replaced.opcode());
            assertFalse(replaced.fin());
            assertEquals(0b101, replaced.rsvBits());
        }
    }

    @Test
    void toStringListsOpcodeFlagsAndLength() {
        assertEquals("Frame[TEXT fin, 2 bytes]", Frame.text("hi").toString());
        assertEquals(
                "Frame[BINARY rsv1 rsv2 rsv3, 0 bytes]",
                new Frame(Opcode.BINARY, ByteBuffer.allocate(0), false, true, true, true).toString());
    }
}
