package dev.wsflux.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.frames.WireFormat;
import dev.wsflux.protocol.testing.Hex;
import dev.wsflux.protocol.testing.Splits;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameSerializerTest {
    private static final int RFC_KEY = 0x37fa213d; // the key of RFC 6455 §5.7

    /** A server-side serializer: no masking, and it must never ask for a key. */
    private static FrameSerializer server() {
        return new FrameSerializer(false, () -> {
            throw new AssertionError("a server must not draw masking keys");
        });
    }

    private static FrameSerializer client(int key) {
        return new FrameSerializer(true, MaskKeySource.fixed(key));
    }

    private static Frame frame(Opcode opcode, String payloadHex, boolean fin) {
        return new Frame(opcode, Hex.buffer(payloadHex), fin);
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    private static String prefix(ByteBuffer serialized, int length) {
        return Hex.encode(serialized.duplicate().limit(length));
    }

    @Nested
    class Rfc6455Examples { // §5.7, byte for byte

        @Test
        void writesASingleFrameUnmaskedTextMessage() {
            assertEquals("81 05 48 65 6c 6c 6f", Hex.encode(server().serialize(Frame.text("Hello"))));
        }

        @Test
        void writesASingleFrameMaskedTextMessage() {
            assertEquals(
                    "81 85 37 fa 21 3d 7f 9f 4d 51 58",
                    Hex.encode(client(RFC_KEY).serialize(Frame.text("Hello"))));
        }

        @Test
        void writesAFragmentedUnmaskedTextMessage() {
            FrameSerializer serializer = server();
            assertEquals("01 03 48 65 6c", Hex.encode(serializer.serialize(frame(Opcode.TEXT, "48 65 6c", false))));
            assertEquals("80 02 6c 6f", Hex.encode(serializer.serialize(frame(Opcode.CONTINUATION, "6c 6f", true))));
        }

        @Test
        void writesAnUnmaskedPing() {
            assertEquals(
                    "89 05 48 65 6c 6c 6f", Hex.encode(server().serialize(frame(Opcode.PING, "48 65 6c 6c 6f", true))));
        }

        @Test
        void writesAMaskedPong() {
            assertEquals(
                    "8a 85 37 fa 21 3d 7f 9f 4d 51 58",
                    Hex.encode(client(RFC_KEY).serialize(frame(Opcode.PONG, "48 65 6c 6c 6f", true))));
        }

        @Test
        void writesA256ByteBinaryMessageWithA16BitLength() {
            ByteBuffer serialized = server().serialize(Frame.binary(pattern(256)));
            assertEquals(4 + 256, serialized.remaining());
            assertEquals("82 7e 01 00", prefix(serialized, 4));
        }

        @Test
        void writesA64KiBBinaryMessageWithA64BitLength() {
            ByteBuffer serialized = server().serialize(Frame.binary(pattern(65536)));
            assertEquals(10 + 65536, serialized.remaining());
            assertEquals("82 7f 00 00 00 00 00 01 00 00", prefix(serialized, 10));
            assertArrayEquals(pattern(65536), Hex.decode(Hex.encode(serialized.position(10))));
        }
    }

    @Nested
    class PayloadLength { // §5.2 "the minimal number of bytes MUST be used to encode the length"

        @Test
        void usesTheShortestLengthFieldForEachLength() {
            FrameSerializer serializer = server();
            assertEquals("82 00", prefix(serializer.serialize(Frame.binary(new byte[0])), 2));
            assertEquals("82 7d", prefix(serializer.serialize(Frame.binary(new byte[125])), 2));
            assertEquals("82 7e 00 7e", prefix(serializer.serialize(Frame.binary(new byte[126])), 4));
            assertEquals("82 7e ff ff", prefix(serializer.serialize(Frame.binary(new byte[65535])), 4));
            assertEquals(
                    "82 7f 00 00 00 00 00 01 00 00", prefix(serializer.serialize(Frame.binary(new byte[65536])), 10));
        }

        @Test
        void setsTheMaskBitBesideEveryLengthForm() {
            FrameSerializer serializer = client(RFC_KEY);
            assertEquals("82 fd 37 fa 21 3d", prefix(serializer.serialize(Frame.binary(new byte[125])), 6));
            assertEquals("82 fe 00 7e 37 fa 21 3d", prefix(serializer.serialize(Frame.binary(new byte[126])), 8));
            assertEquals(
                    "82 ff 00 00 00 00 00 01 00 00 37 fa 21 3d",
                    prefix(serializer.serialize(Frame.binary(new byte[65536])), 14));
        }

        @Test
        void headerLengthIsTwoFourOrTenBytesPlusFourWhenMasked() {
            assertEquals(2, FrameSerializer.headerLength(0, false));
            assertEquals(2, FrameSerializer.headerLength(125, false));
            assertEquals(4, FrameSerializer.headerLength(126, false));
            assertEquals(4, FrameSerializer.headerLength(65535, false));
            assertEquals(10, FrameSerializer.headerLength(65536, false));
            assertEquals(10, FrameSerializer.headerLength(Long.MAX_VALUE, false));
            assertEquals(6, FrameSerializer.headerLength(0, true));
            assertEquals(8, FrameSerializer.headerLength(126, true));
            assertEquals(14, FrameSerializer.headerLength(65536, true));
        }

        @Test
        void theLongestHeaderIsFourteenBytes() {
            assertEquals(14, WireFormat.MAX_HEADER_LENGTH);
            assertEquals(WireFormat.MAX_HEADER_LENGTH, FrameSerializer.headerLength(Long.MAX_VALUE, true));
        }

        @Test
        void headerLengthRejectsANegativeLength() {
            assertThrows(IllegalArgumentException.class, () -> FrameSerializer.headerLength(-1, false));
        }
    }

    @Nested
    class BitsAndOpcodes { // §5.2

        @Test
        void writesFinRsvBitsAndOpcodeInTheFirstByte() {
            FrameSerializer serializer = server();
            ByteBuffer empty = ByteBuffer.allocate(0);
            assertEquals("00 00", Hex.encode(serializer.serialize(new Frame(Opcode.CONTINUATION, empty, false))));
            assertEquals(
                    "c1 00", Hex.encode(serializer.serialize(new Frame(Opcode.TEXT, empty, true, true, false, false))));
            assertEquals(
                    "22 00",
                    Hex.encode(serializer.serialize(new Frame(Opcode.BINARY, empty, false, false, true, false))));
            assertEquals(
                    "91 00", Hex.encode(serializer.serialize(new Frame(Opcode.TEXT, empty, true, false, false, true))));
            assertEquals(
                    "f2 00", Hex.encode(serializer.serialize(new Frame(Opcode.BINARY, empty, true, true, true, true))));
            assertEquals("88 00", Hex.encode(serializer.serialize(new Frame(Opcode.CLOSE, empty, true))));
        }
    }

    @Nested
    class Masking { // §5.3

        @Test
        void drawsAFreshKeyForEveryFrame() {
            Iterator<Integer> keys = List.of(0x01020304, 0xa0b0c0d0, 0).iterator();
            FrameSerializer serializer = new FrameSerializer(true, keys::next);
            assertEquals("81 81 01 02 03 04 49", Hex.encode(serializer.serialize(Frame.text("H"))));
            assertEquals("81 81 a0 b0 c0 d0 e8", Hex.encode(serializer.serialize(Frame.text("H"))));
            assertEquals("81 81 00 00 00 00 48", Hex.encode(serializer.serialize(Frame.text("H"))));
            assertFalse(keys.hasNext());
        }

        @Test
        void masksEveryPayloadLengthAsTheRfcDefines() {
            Random random = new Random(0);
            for (int length = 0; length <= 200; length++) {
                int key = random.nextInt();
                byte[] payload = pattern(length);
                ByteBuffer serialized = client(key).serialize(Frame.binary(payload.clone()));
                int header = FrameSerializer.headerLength(length, true);
                assertEquals(key, serialized.getInt(header - 4));
                for (int i = 0; i < length; i++) {
                    byte expected = (byte) (payload[i] ^ (key >>> (24 - 8 * (i % 4))));
                    assertEquals(expected, serialized.get(header + i), "length " + length + " byte " + i);
                }
            }
        }

        @Test
        void leavesThePayloadUnmasked() {
            byte[] payload = pattern(20);
            Frame frame = Frame.binary(payload.clone());
            client(RFC_KEY).serialize(frame);
            assertArrayEquals(payload, frame.payloadBytes());
        }
    }

    @Nested
    class ControlFrames { // §5.5

        @ParameterizedTest
        @ValueSource(booleans = {true, false})
        void refusesAControlFramePayloadOver125Bytes(boolean mask) {
            FrameSerializer serializer = new FrameSerializer(mask, MaskKeySource.fixed(RFC_KEY));
            for (Opcode opcode : new Opcode[] {Opcode.CLOSE, Opcode.PING, Opcode.PONG}) {
                Frame tooLong = new Frame(opcode, ByteBuffer.allocate(126), true);
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> serializer.serialize(tooLong));
                assertEquals("control frame too long: " + opcode + " of 126 bytes", e.getMessage());
            }
        }

        @ParameterizedTest
        @ValueSource(booleans = {true, false})
        void refusesAFragmentedControlFrame(boolean mask) {
            FrameSerializer serializer = new FrameSerializer(mask, MaskKeySource.fixed(RFC_KEY));
            Frame fragment = new Frame(Opcode.PING, ByteBuffer.allocate(1), false);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> serializer.serialize(fragment));
            assertEquals("fragmented control frame: PING without FIN", e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(booleans = {true, false})
        void writesA125BytePing(boolean mask) {
            ByteBuffer serialized = new FrameSerializer(mask, MaskKeySource.fixed(RFC_KEY))
                    .serialize(new Frame(Opcode.PING, ByteBuffer.wrap(pattern(125)), true));
            assertEquals(mask ? "89 fd" : "89 7d", prefix(serialized, 2));
        }

        @Test
        void allowsLongAndFragmentedDataFrames() {
            assertEquals(
                    4 + 126,
                    server().serialize(new Frame(Opcode.TEXT, ByteBuffer.allocate(126), false))
                            .remaining());
        }
    }

    @Nested
    class Buffers {

        @Test
        void serializeReturnsAFlippedHeapBufferAndKeepsThePayloadPosition() {
            ByteBuffer payload = ByteBuffer.wrap(Hex.decode("00 48 65 6c 6c 6f 00"), 1, 5); // "Hello" inside
            Frame frame = new Frame(Opcode.TEXT, payload, true);
            ByteBuffer serialized = client(RFC_KEY).serialize(frame);
            assertEquals("81 85 37 fa 21 3d 7f 9f 4d 51 58", Hex.encode(serialized));
            assertEquals(0, serialized.position());
            assertTrue(serialized.hasArray());
            assertEquals(1, payload.position());
            assertEquals(6, payload.limit());
        }

        @Test
        void serializeToWritesAtThePositionAndAdvancesIt() {
            ByteBuffer out = ByteBuffer.allocate(20);
            out.put((byte) 0x55);
            server().serializeTo(Frame.text("Hi"), out);
            assertEquals(5, out.position());
            assertEquals("55 81 02 48 69", Hex.encode(out.flip()));
        }

        @Test
        void writesNetworkOrderIntoALittleEndianDirectBuffer() {
            ByteBuffer out = ByteBuffer.allocateDirect(300 + 8).order(ByteOrder.LITTLE_ENDIAN);
            client(RFC_KEY).serializeTo(Frame.binary(pattern(300)), out);
            out.flip();
            assertEquals("82 fe 01 2c 37 fa 21 3d", prefix(out, 8));
            ByteBuffer payload = out.position(8).slice();
            Masker.mask(payload, RFC_KEY, 0);
            assertArrayEquals(pattern(300), Hex.decode(Hex.encode(payload)));
        }

        @Test
        void readsAReadOnlyOrDirectPayload() {
            ByteBuffer direct = ByteBuffer.allocateDirect(5)
                    .put(Hex.decode("48 65 6c 6c 6f"))
                    .flip();
            assertEquals(
                    "81 85 37 fa 21 3d 7f 9f 4d 51 58",
                    Hex.encode(client(RFC_KEY).serialize(new Frame(Opcode.TEXT, direct, true))));
            ByteBuffer readOnly = Hex.buffer("48 65 6c 6c 6f").asReadOnlyBuffer();
            assertEquals(
                    "81 05 48 65 6c 6c 6f", Hex.encode(server().serialize(new Frame(Opcode.TEXT, readOnly, true))));
        }

        @Test
        void writesAPayloadSliceIntoALimitedOutputWithoutMovingEitherBuffersBounds() {
            // "Hello" at index 2 of a larger array, read through a slice whose array offset is 1.
            ByteBuffer payload = ByteBuffer.wrap(Hex.decode("ff ff 48 65 6c 6c 6f ff"))
                    .position(1)
                    .slice()
                    .position(1)
                    .limit(6);
            for (boolean mask : new boolean[] {true, false}) {
                ByteBuffer out = ByteBuffer.allocate(32).position(3).limit(20);
                FrameSerializer serializer = mask ? client(RFC_KEY) : server();

                serializer.serializeTo(new Frame(Opcode.TEXT, payload, true), out);

                int end = mask ? 3 + 11 : 3 + 7;
                assertEquals(end, out.position());
                assertEquals(20, out.limit());
                assertEquals(
                        mask ? "81 85 37 fa 21 3d 7f 9f 4d 51 58" : "81 05 48 65 6c 6c 6f",
                        Hex.encode(out.duplicate().position(3).limit(end)));
                assertEquals("00 00 00", Hex.encode(out.duplicate().position(0).limit(3)), "bytes before kept");
                assertEquals(1, payload.position());
                assertEquals(6, payload.limit());
            }
        }

        @Test
        void refusesAnOutputBufferThatIsTooSmallWithoutWriting() {
            ByteBuffer out = ByteBuffer.allocate(10); // needs 11
            assertThrows(BufferOverflowException.class, () -> client(RFC_KEY).serializeTo(Frame.text("Hello"), out));
            assertEquals(0, out.position());
            assertArrayEquals(new byte[10], out.array());
        }

        @Test
        void rejectsANullKeySource() {
            assertThrows(NullPointerException.class, () -> new FrameSerializer(false, null));
        }
    }

    @Nested
    class RoundTrip { // what the serializer writes, the parser of the other side reads back

        @ParameterizedTest
        @ValueSource(booleans = {true, false})
        void parserReadsBackRandomFrames(boolean fromClient) {
            Random random = new Random(fromClient ? 1 : 2);
            FrameSerializer serializer = new FrameSerializer(fromClient, MaskKeySource.from(random));
            Opcode[] opcodes = Opcode.values();
            List<Frame> sent = new ArrayList<>();
            ByteBuffer wire = ByteBuffer.allocate(1 << 20);
            int[] lengths = {0, 1, 7, 8, 9, 125, 126, 127, 65535, 65536, 70000};
            for (int i = 0; i < 60; i++) {
                Opcode opcode = opcodes[random.nextInt(opcodes.length)];
                int length = opcode.isControl()
                        ? random.nextInt(126)
                        : i < lengths.length ? lengths[i] : random.nextInt(300);
                byte[] payload = new byte[length];
                random.nextBytes(payload);
                Frame frame = new Frame(
                        opcode,
                        ByteBuffer.wrap(payload),
                        opcode.isControl() || random.nextBoolean(),
                        random.nextBoolean(),
                        random.nextBoolean(),
                        random.nextBoolean());
                sent.add(frame);
                serializer.serializeTo(frame, wire);
            }
            byte[] bytes = new byte[wire.flip().remaining()];
            wire.get(bytes);
            for (Splits.Chunking chunking : List.of(
                    Splits.whole(bytes),
                    Splits.oneByteAtATime(bytes),
                    Splits.chunksOf(bytes, 1000),
                    Splits.splitAt(bytes, 3))) {
                List<Frame> received = new ArrayList<>();
                FrameParser parser = new FrameParser(fromClient, 0, received::add);
                chunking.chunks().forEach(parser::feed);
                assertEquals(sent.size(), received.size(), chunking.name());
                for (int i = 0; i < sent.size(); i++) {
                    Frame expected = sent.get(i);
                    Frame actual = received.get(i);
                    String where = chunking.name() + " frame " + i;
                    assertEquals(expected.opcode(), actual.opcode(), where);
                    assertEquals(expected.fin(), actual.fin(), where);
                    assertEquals(expected.rsvBits(), actual.rsvBits(), where);
                    assertArrayEquals(expected.payloadBytes(), actual.payloadBytes(), where);
                }
            }
        }
    }

    @Nested
    class HeaderAlone {
        @ParameterizedTest
        @ValueSource(ints = {0, 125, 126, 65535, 65536, 70000})
        void isTheWholeFramesPrefixForAServer(int length) {
            Frame frame = new Frame(Opcode.BINARY, ByteBuffer.allocate(length), true);
            ByteBuffer whole = server().serialize(frame);
            ByteBuffer header = server().serializeHeader(frame);
            assertEquals(whole.remaining() - length, header.remaining());
            assertEquals(whole.slice(0, header.remaining()), header);
        }

        @Test
        void isRefusedForAClientWhoseFramesAreMasked() {
            Frame frame = new Frame(Opcode.BINARY, ByteBuffer.allocate(10), true);
            assertThrows(IllegalStateException.class, () -> client(RFC_KEY).serializeHeader(frame));
        }
    }
}
