package dev.wsflux.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wsflux.protocol.codec.FrameParser.FrameHeader;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.frames.PayloadTooBigException;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.testing.Hex;
import dev.wsflux.protocol.testing.Splits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameParserTest {
    /** {@code expectMasked} of a server-side parser: client frames are masked. */
    private static final boolean SERVER = true;
    /** {@code expectMasked} of a client-side parser: server frames are not masked. */
    private static final boolean CLIENT = false;

    private static final long NO_LIMIT = 0;

    /**
     * Records what the parser reports: headers and frames as text (payloads over 32 bytes as their length
     * and CRC-32, to keep comparisons of large inputs cheap), and checks that each frame's chunks are
     * read-only, non-empty and add up to its payload.
     */
    private static final class Recorder implements FrameParser.Handler {
        final List<String> events = new ArrayList<>();
        final List<Frame> frames = new ArrayList<>();
        final List<FrameHeader> headers = new ArrayList<>();
        private final CRC32 chunksCrc = new CRC32();
        private long chunksLength;

        @Override
        public void onFrameHeader(FrameHeader header) {
            headers.add(header);
            events.add("header " + header);
            chunksCrc.reset();
            chunksLength = 0;
        }

        @Override
        public void onPayloadChunk(FrameHeader header, ByteBuffer chunk) {
            assertSame(headers.get(headers.size() - 1), header, "chunk of another header");
            assertTrue(chunk.isReadOnly(), "chunk must be a read-only view");
            assertTrue(chunk.hasRemaining(), "empty chunk");
            chunksLength += chunk.remaining();
            chunksCrc.update(chunk);
        }

        @Override
        public void onFrame(Frame frame) {
            assertEquals(0, frame.payload().position(), "payload position");
            assertFalse(frame.payload().isDirect(), "payload must be on the heap");
            CRC32 payloadCrc = new CRC32();
            payloadCrc.update(frame.payload().duplicate());
            assertEquals(frame.length(), chunksLength, "chunk lengths do not add up to the payload's");
            assertEquals(payloadCrc.getValue(), chunksCrc.getValue(), "chunks do not add up to the payload");
            frames.add(frame);
            String payload = frame.length() <= 32
                    ? Hex.encode(frame.payload())
                    : "crc32 " + Long.toHexString(payloadCrc.getValue());
            events.add("frame " + frame + " " + payload);
        }
    }

    /**
     * Parses {@code input} fed whole, split at every position and one byte at a time; asserts that every
     * chunking gives the same headers and frames, consumes every byte and ends idle. Returns the frames.
     */
    private static List<Frame> parseEverySplit(boolean expectMasked, long maxFrameSize, byte[] input) {
        Recorder first = null;
        for (Splits.Chunking chunking : Splits.of(input)) {
            Recorder recorder = parse(expectMasked, maxFrameSize, chunking);
            if (first == null) {
                first = recorder;
            } else {
                assertEquals(first.events, recorder.events, chunking.name());
            }
        }
        return first.frames;
    }

    private static List<Frame> parseEverySplit(boolean expectMasked, String hex) {
        return parseEverySplit(expectMasked, NO_LIMIT, Hex.decode(hex));
    }

    private static Recorder parse(boolean expectMasked, long maxFrameSize, Splits.Chunking chunking) {
        Recorder recorder = new Recorder();
        FrameParser parser = new FrameParser(expectMasked, maxFrameSize, recorder);
        for (ByteBuffer chunk : chunking.chunks()) {
            parser.feed(chunk);
            assertFalse(chunk.hasRemaining(), chunking.name() + ": bytes left behind");
        }
        assertTrue(parser.isIdle(), chunking.name() + ": input did not end on a frame boundary");
        return recorder;
    }

    /**
     * Feeds {@code input} in every chunking and asserts that each fails the same way after consuming
     * exactly {@code failingBytes} bytes (fail-fast, nothing read past the offending byte), that the frames
     * before the failure were delivered, and that the parser then refuses input. Returns the exception.
     */
    private static WebSocketProtocolException assertFailsEverySplit(
            boolean expectMasked, long maxFrameSize, byte[] input, int failingBytes, int framesBefore) {
        WebSocketProtocolException firstFailure = null;
        for (Splits.Chunking chunking : Splits.of(input)) {
            Recorder recorder = new Recorder();
            FrameParser parser = new FrameParser(expectMasked, maxFrameSize, recorder);
            int consumed = 0;
            WebSocketProtocolException failure = null;
            for (ByteBuffer chunk : chunking.chunks()) {
                int start = chunk.position();
                try {
                    parser.feed(chunk);
                } catch (WebSocketProtocolException e) {
                    failure = e;
                }
                consumed += chunk.position() - start;
                if (failure != null) {
                    break;
                }
            }
            if (failure == null) {
                fail(chunking.name() + ": no failure, frames " + recorder.events);
                return null;
            }
            assertEquals(failingBytes, consumed, chunking.name() + ": bytes consumed before failing");
            assertEquals(framesBefore, recorder.frames.size(), chunking.name() + ": frames before the failure");
            assertFalse(parser.isIdle(), chunking.name());
            assertThrows(IllegalStateException.class, () -> parser.feed(ByteBuffer.allocate(0)));
            assertThrows(IllegalStateException.class, () -> parser.feed(Hex.buffer("81 00")));
            if (firstFailure == null) {
                firstFailure = failure;
            } else {
                assertEquals(firstFailure.getClass(), failure.getClass(), chunking.name());
                assertEquals(firstFailure.getMessage(), failure.getMessage(), chunking.name());
            }
        }
        return firstFailure;
    }

    private static WebSocketProtocolException assertFailsEverySplit(
            boolean expectMasked, String hex, int failingBytes) {
        return assertFailsEverySplit(expectMasked, NO_LIMIT, Hex.decode(hex), failingBytes, 0);
    }

    private static void assertProtocolError(WebSocketProtocolException e, String message) {
        assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode(), e.getMessage());
        assertEquals(message, e.getMessage());
    }

    /** The mask bit and a zero key, so that one test can build the same frame for either side. */
    private static String mask(boolean masked, int secondByte) {
        return masked ? String.format("%02x", secondByte | 0x80) : String.format("%02x", secondByte);
    }

    private static String key(boolean masked) {
        return masked ? "00 00 00 00" : "";
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The same chunks, each copied into a direct buffer that starts 3 bytes into its memory. */
    private static Splits.Chunking direct(Splits.Chunking chunking) {
        List<ByteBuffer> chunks = new ArrayList<>();
        for (ByteBuffer chunk : chunking.chunks()) {
            ByteBuffer direct =
                    ByteBuffer.allocateDirect(chunk.remaining() + 3).position(3).slice();
            chunks.add(direct.put(chunk.duplicate()).flip());
        }
        return new Splits.Chunking(chunking.name() + ", direct", chunks);
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    private static void assertFrame(Frame frame, Opcode opcode, boolean fin, String payloadHex) {
        assertEquals(opcode, frame.opcode());
        assertEquals(fin, frame.fin());
        assertEquals(payloadHex, Hex.encode(frame.payload()));
    }

    @Nested
    class Rfc6455Examples { // §5.7, byte for byte

        @Test
        void clientParsesASingleFrameUnmaskedTextMessage() {
            List<Frame> frames = parseEverySplit(CLIENT, "81 05 48 65 6c 6c 6f"); // "Hello"
            assertEquals(1, frames.size());
            assertFrame(frames.get(0), Opcode.TEXT, true, "48 65 6c 6c 6f");
            assertEquals("Hello", frames.get(0).payloadText());
        }

        @Test
        void serverParsesASingleFrameMaskedTextMessage() {
            List<Frame> frames = parseEverySplit(SERVER, "81 85 37 fa 21 3d 7f 9f 4d 51 58"); // "Hello", key 37fa213d
            assertEquals(1, frames.size());
            assertFrame(frames.get(0), Opcode.TEXT, true, "48 65 6c 6c 6f");
        }

        @Test
        void clientParsesAFragmentedUnmaskedTextMessage() {
            List<Frame> frames = parseEverySplit(CLIENT, "01 03 48 65 6c  80 02 6c 6f"); // "Hel" then "lo"
            assertEquals(2, frames.size());
            assertFrame(frames.get(0), Opcode.TEXT, false, "48 65 6c");
            assertFrame(frames.get(1), Opcode.CONTINUATION, true, "6c 6f");
        }

        @Test
        void clientParsesAnUnmaskedPing() {
            List<Frame> frames = parseEverySplit(CLIENT, "89 05 48 65 6c 6c 6f"); // Ping "Hello"
            assertFrame(frames.get(0), Opcode.PING, true, "48 65 6c 6c 6f");
        }

        @Test
        void serverParsesAMaskedPong() {
            List<Frame> frames = parseEverySplit(SERVER, "8a 85 37 fa 21 3d 7f 9f 4d 51 58"); // Pong "Hello"
            assertFrame(frames.get(0), Opcode.PONG, true, "48 65 6c 6c 6f");
        }

        @Test
        void clientParsesA256ByteBinaryMessage() {
            byte[] payload = pattern(256);
            List<Frame> frames = parseEverySplit(CLIENT, NO_LIMIT, concat(Hex.decode("82 7E 01 00"), payload));
            assertEquals(Opcode.BINARY, frames.get(0).opcode());
            assertArrayEquals(payload, frames.get(0).payloadBytes());
        }

        @Test
        void clientParsesA64KiBBinaryMessage() {
            byte[] payload = pattern(65536);
            byte[] input = concat(Hex.decode("82 7F 00 00 00 00 00 01 00 00"), payload);
            List<Frame> frames = parseEverySplit(CLIENT, NO_LIMIT, input);
            assertEquals(1, frames.size());
            assertEquals(Opcode.BINARY, frames.get(0).opcode());
            assertArrayEquals(payload, frames.get(0).payloadBytes());
        }
    }

    @Nested
    class PayloadLength { // §5.2 "Payload length: 7 bits, 7+16 bits, or 7+64 bits"

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void readsSevenSixteenAndSixtyFourBitLengthsAtTheirLimits(boolean server) {
            for (int length : new int[] {0, 1, 125, 126, 127, 65535, 65536, 65537}) {
                String lengthField = length <= 125
                        ? mask(server, length)
                        : length <= 65535
                                ? mask(server, 126) + String.format(" %04x", length)
                                : mask(server, 127) + String.format(" %016x", length);
                byte[] input = concat(Hex.decode("82 " + lengthField + " " + key(server)), pattern(length));
                Recorder recorder = parse(server, NO_LIMIT, Splits.whole(input));
                assertEquals(length, recorder.headers.get(0).length());
                assertArrayEquals(pattern(length), recorder.frames.get(0).payloadBytes(), "length " + length);
                if (length < 300) {
                    parseEverySplit(server, NO_LIMIT, input);
                }
            }
        }

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void acceptsNonMinimalLengthEncodings(boolean server) {
            // 16-bit length 5, 64-bit length 5, 64-bit length 126
            String k = key(server);
            List<Frame> frames = parseEverySplit(
                    server,
                    "82 " + mask(server, 126) + " 00 05 " + k + " 01 02 03 04 05"
                            + "82 " + mask(server, 127) + " 00 00 00 00 00 00 00 05 " + k + " 01 02 03 04 05"
                            + "82 " + mask(server, 127) + " 00 00 00 00 00 00 00 7e " + k + " "
                            + Hex.encode(pattern(126)));
            assertEquals(3, frames.size());
            assertEquals("01 02 03 04 05", Hex.encode(frames.get(0).payload()));
            assertEquals("01 02 03 04 05", Hex.encode(frames.get(1).payload()));
            assertArrayEquals(pattern(126), frames.get(2).payloadBytes());
        }

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void deliversEmptyFramesWithoutPayloadChunks(boolean server) {
            // The recorder fails on an empty chunk and on chunks that do not add up to the payload.
            Recorder recorder = new Recorder();
            FrameParser parser = new FrameParser(server, NO_LIMIT, recorder);
            parser.feed(Hex.buffer(
                    "81 " + mask(server, 0) + " " + key(server) + " 88 " + mask(server, 0) + " " + key(server)));
            assertEquals(2, recorder.frames.size());
            assertEquals(0, recorder.frames.get(0).length());
            assertEquals(Opcode.CLOSE, recorder.frames.get(1).opcode());
            assertTrue(parser.isIdle());
        }

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void rejectsA64BitLengthWithTheMostSignificantBitSet(boolean server) {
            // §5.2: "the most significant bit MUST be 0"; nothing after the length is read.
            WebSocketProtocolException e = assertFailsEverySplit(
                    server, "82 " + mask(server, 127) + " 80 00 00 00 00 00 00 05 " + key(server) + " 01 02", 10);
            assertProtocolError(e, "64-bit payload length with the most significant bit set: 0x8000000000000005");
        }

        @Test
        void readsTheLengthInNetworkOrderWhateverTheInputsByteOrder() {
            Recorder recorder = new Recorder();
            FrameParser parser = new FrameParser(CLIENT, NO_LIMIT, recorder);
            ByteBuffer input = ByteBuffer.wrap(concat(Hex.decode("82 7e 01 2c"), pattern(300)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            parser.feed(input);
            assertEquals(300, recorder.frames.get(0).length());
        }
    }

    @Nested
    class Masking { // §5.1 and §5.3

        @Test
        void serverRejectsAnUnmaskedFrame() {
            // §5.1: "The server MUST close the connection upon receiving a frame that is not masked."
            assertProtocolError(
                    assertFailsEverySplit(SERVER, "81 05 48 65 6c 6c 6f", 2), "unmasked frame from client: TEXT");
        }

        @Test
        void serverRejectsAnUnmaskedControlFrame() {
            assertProtocolError(assertFailsEverySplit(SERVER, "89 00", 2), "unmasked frame from client: PING");
        }

        @Test
        void clientRejectsAMaskedFrame() {
            // §5.1: "A client MUST close a connection if it detects a masked frame."
            assertProtocolError(
                    assertFailsEverySplit(CLIENT, "81 85 37 fa 21 3d 7f 9f 4d 51 58", 2),
                    "masked frame from server: TEXT");
        }

        @Test
        void clientRejectsAMaskedControlFrame() {
            assertProtocolError(
                    assertFailsEverySplit(CLIENT, "8a 80 00 00 00 00", 2), "masked frame from server: PONG");
        }

        @Test
        void serverUnmasksPayloadsOfEveryLengthAcrossEverySplit() {
            Random random = new Random(0);
            for (int length = 0; length <= 40; length++) {
                byte[] payload = pattern(length);
                int key = random.nextInt();
                ByteBuffer masked = ByteBuffer.wrap(payload.clone());
                Masker.mask(masked, key, 0);
                byte[] input = concat(Hex.decode(String.format("82 %02x %08x", 0x80 | length, key)), masked.array());
                List<Frame> frames = parseEverySplit(SERVER, NO_LIMIT, input);
                assertArrayEquals(payload, frames.get(0).payloadBytes(), "length " + length);
                assertTrue(frames.get(0).fin());
            }
        }

        @Test
        void serverUnmasksPayloadsFedInDirectBuffersAcrossEverySplit() {
            // Netty hands the parser direct buffers: the same frames, every split, each chunk copied into a
            // direct buffer at an address that is not 8-byte aligned.
            Random random = new Random(1);
            for (int length : new int[] {0, 1, 7, 8, 9, 23, 40, 125, 300}) {
                byte[] payload = pattern(length);
                int key = random.nextInt();
                ByteBuffer masked = ByteBuffer.wrap(payload.clone());
                Masker.mask(masked, key, 0);
                String header = length <= 125
                        ? String.format("82 %02x %08x", 0x80 | length, key)
                        : String.format("82 fe %04x %08x", length, key);
                byte[] input = concat(Hex.decode(header), masked.array());
                for (Splits.Chunking chunking : Splits.of(input)) {
                    Recorder recorder = parse(SERVER, NO_LIMIT, direct(chunking));
                    String where = "length " + length + ", " + chunking.name();
                    assertArrayEquals(payload, recorder.frames.get(0).payloadBytes(), where);
                }
            }
        }

        @Test
        void reportsWhetherTheFrameWasMaskedInTheHeader() {
            Recorder server = new Recorder();
            new FrameParser(SERVER, NO_LIMIT, server).feed(Hex.buffer("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
            assertTrue(server.headers.get(0).masked());
            Recorder client = new Recorder();
            new FrameParser(CLIENT, NO_LIMIT, client).feed(Hex.buffer("81 05 48 65 6c 6c 6f"));
            assertFalse(client.headers.get(0).masked());
        }
    }

    @Nested
    class Opcodes { // §5.2 "Opcode: 4 bits"

        @ParameterizedTest
        @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
        void serverRejectsAReservedOpcodeAtTheFirstByte(int code) {
            String hex = String.format("%02x 80 00 00 00 00", 0x80 | code);
            assertProtocolError(
                    assertFailsEverySplit(SERVER, hex, 1), "reserved opcode: 0x" + Integer.toHexString(code));
        }

        @ParameterizedTest
        @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
        void clientRejectsAReservedOpcodeAtTheFirstByte(int code) {
            String hex = String.format("%02x 00", code); // also without FIN
            assertProtocolError(
                    assertFailsEverySplit(CLIENT, hex, 1), "reserved opcode: 0x" + Integer.toHexString(code));
        }

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void acceptsEveryDefinedOpcode(boolean server) {
            StringBuilder hex = new StringBuilder();
            for (String firstByte : new String[] {"00", "01", "02", "88", "89", "8a"}) {
                hex.append(firstByte)
                        .append(' ')
                        .append(mask(server, 0))
                        .append(' ')
                        .append(key(server))
                        .append(' ');
            }
            List<Frame> frames = parseEverySplit(server, hex.toString());
            List<Opcode> opcodes = new ArrayList<>();
            frames.forEach(frame -> opcodes.add(frame.opcode()));
            assertEquals(
                    List.of(Opcode.CONTINUATION, Opcode.TEXT, Opcode.BINARY, Opcode.CLOSE, Opcode.PING, Opcode.PONG),
                    opcodes);
        }
    }

    @Nested
    class ControlFrames { // §5.5

        @ParameterizedTest
        @ValueSource(strings = {"88", "89", "8a"})
        void serverRejectsAControlFrameLongerThan125BytesAtTheSecondByte(String firstByte) {
            // §5.5: "All control frames MUST have a payload length of 125 bytes or less"
            WebSocketProtocolException e = assertFailsEverySplit(SERVER, firstByte + " fe 00 7e 00 00 00 00", 2);
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
            assertTrue(e.getMessage().startsWith("control frame too long: "), e.getMessage());
            assertFailsEverySplit(SERVER, firstByte + " ff 00 00 00 00 00 00 00 7e", 2);
        }

        @ParameterizedTest
        @ValueSource(strings = {"88", "89", "8a"})
        void clientRejectsAControlFrameLongerThan125BytesAtTheSecondByte(String firstByte) {
            assertProtocolError(
                    assertFailsEverySplit(CLIENT, firstByte + " 7e 00 7e", 2),
                    "control frame too long: " + Opcode.fromCode(Integer.parseInt(firstByte, 16) & 0xF)
                            + " with payload length code 126 (at most 125 bytes)");
            assertFailsEverySplit(CLIENT, firstByte + " 7f 00 00 00 00 00 00 00 7e", 2);
        }

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void acceptsA125BytePing(boolean server) {
            byte[] input = concat(Hex.decode("89 " + mask(server, 125) + " " + key(server)), pattern(125));
            assertArrayEquals(
                    pattern(125),
                    parseEverySplit(server, NO_LIMIT, input).get(0).payloadBytes());
        }

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void rejectsAFragmentedControlFrameAtTheSecondByte(boolean server) {
            // §5.5: control frames "MUST NOT be fragmented"
            for (String firstByte : new String[] {"08", "09", "0a"}) {
                WebSocketProtocolException e = assertFailsEverySplit(
                        server, firstByte + " " + mask(server, 2) + " " + key(server) + " 03 e8", 2);
                assertProtocolError(
                        e,
                        "fragmented control frame: " + Opcode.fromCode(Integer.parseInt(firstByte, 16))
                                + " without FIN");
            }
        }

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void acceptsAControlFrameBetweenFragments(boolean server) {
            String k = key(server);
            List<Frame> frames = parseEverySplit(
                    server,
                    "01 " + mask(server, 1) + " " + k + " 48 " + "89 " + mask(server, 0) + " " + k + " " + "80 "
                            + mask(server, 1) + " " + k + " 69");
            assertEquals(
                    List.of(Opcode.TEXT, Opcode.PING, Opcode.CONTINUATION),
                    List.of(
                            frames.get(0).opcode(),
                            frames.get(1).opcode(),
                            frames.get(2).opcode()));
        }
    }

    @Nested
    class ReservedBits { // §5.2 RSV1-3: the caller decides, through the handler

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void reportsEachRsvBit(boolean server) {
            String k = key(server);
            String m = mask(server, 0);
            List<Frame> frames = parseEverySplit(
                    server,
                    "c1 " + m + " " + k + " a1 " + m + " " + k + " 91 " + m + " " + k + " f1 " + m + " " + k + " 81 "
                            + m + " " + k);
            assertEquals(0b100, frames.get(0).rsvBits());
            assertEquals(0b010, frames.get(1).rsvBits());
            assertEquals(0b001, frames.get(2).rsvBits());
            assertEquals(0b111, frames.get(3).rsvBits());
            assertEquals(0, frames.get(4).rsvBits());
        }

        @Test
        void headerReportsRsvBitsTheWayFrameDoes() {
            Recorder recorder = new Recorder();
            new FrameParser(CLIENT, NO_LIMIT, recorder).feed(Hex.buffer("c1 00 a1 00 91 00 b1 00"));
            for (int i = 0; i < 4; i++) {
                assertEquals(
                        recorder.frames.get(i).rsvBits(),
                        recorder.headers.get(i).rsvBits());
            }
            FrameHeader header = recorder.headers.get(0);
            assertTrue(header.fin() && header.rsv1() && !header.rsv2() && !header.rsv3());
            assertEquals(0b011, recorder.headers.get(3).rsvBits());
        }
    }

    @Nested
    class FrameSizeLimit { // §10.4 "SHOULD impose a limit on frame sizes"

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void acceptsAFrameAtTheLimit(boolean server) {
            byte[] input = concat(Hex.decode("82 " + mask(server, 100) + " " + key(server)), pattern(100));
            assertEquals(100, parseEverySplit(server, 100, input).get(0).length());
        }

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void rejectsAFrameOverTheLimitWhenTheHeaderEndsBeforeBufferingAnything(boolean server) {
            byte[] input = concat(Hex.decode("82 " + mask(server, 101) + " " + key(server)), pattern(101));
            int headerLength = server ? 6 : 2;
            WebSocketProtocolException e = assertFailsEverySplit(server, 100, input, headerLength, 0);
            PayloadTooBigException tooBig = (PayloadTooBigException) e;
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, tooBig.closeCode());
            assertEquals(101, tooBig.size());
            assertEquals(100, tooBig.limit());
        }

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void deliversTheFramesBeforeATooBigOne(boolean server) {
            String k = key(server);
            byte[] input =
                    Hex.decode("82 " + mask(server, 1) + " " + k + " 2a 82 " + mask(server, 126) + " 00 7e " + k);
            int failing = server ? 7 + 8 : 3 + 4;
            assertFailsEverySplit(server, 125, input, failing, 1);
        }

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void withoutALimitRejectsAFrameThatCannotFitInAnArray(boolean server) {
            // 0x7ffffff8 = Integer.MAX_VALUE - 7, one more than the largest array
            String hex = "82 " + mask(server, 127) + " 00 00 00 00 7f ff ff f8 " + key(server);
            PayloadTooBigException e = (PayloadTooBigException)
                    assertFailsEverySplit(server, NO_LIMIT, Hex.decode(hex), server ? 14 : 10, 0);
            assertEquals(FrameParser.MAX_PAYLOAD_LENGTH, e.limit());
            assertEquals(Integer.MAX_VALUE - 7L, e.size());
        }

        @Test
        void capsALimitAboveTheLargestArray() {
            PayloadTooBigException e =
                    assertThrows(PayloadTooBigException.class, () -> new FrameParser(CLIENT, 1L << 40, frame -> {})
                            .feed(Hex.buffer("82 7f 00 00 00 01 00 00 00 00"))); // 4 GiB
            assertEquals(FrameParser.MAX_PAYLOAD_LENGTH, e.limit());
        }

        @Test
        void rejectsANegativeLimit() {
            assertThrows(IllegalArgumentException.class, () -> new FrameParser(CLIENT, -1, frame -> {}));
        }

        @Test
        void allocatesForTheBytesThatArriveNotForTheAnnouncedLength() {
            Recorder recorder = new Recorder();
            FrameParser parser = new FrameParser(CLIENT, NO_LIMIT, recorder);
            parser.feed(Hex.buffer("82 7f 00 00 00 00 40 00 00 00")); // announces 1 GiB
            parser.feed(ByteBuffer.wrap(pattern(10)));
            assertEquals(FrameParser.INITIAL_PAYLOAD_CAPACITY, parser.payloadCapacity());
            parser.feed(ByteBuffer.wrap(new byte[FrameParser.INITIAL_PAYLOAD_CAPACITY])); // 10 bytes over
            assertEquals(2 * FrameParser.INITIAL_PAYLOAD_CAPACITY, parser.payloadCapacity());
            assertFalse(parser.isIdle());
            assertTrue(recorder.frames.isEmpty());
        }

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void aHeaderThatAnnouncesTwoGibibytesAndSendsAFewBytesCostsAtMostSixtyFourKibibytes(boolean server) {
            // 0x7ffffff7 = Integer.MAX_VALUE - 8: the longest payload the parser accepts, just under 2 GiB
            byte[] header = Hex.decode("82 " + mask(server, 127) + " 00 00 00 00 7f ff ff f7 " + key(server));
            for (byte[] input : List.of(header, concat(header, pattern(100)))) {
                Recorder recorder = new Recorder();
                FrameParser parser = new FrameParser(server, NO_LIMIT, recorder);
                parser.feed(ByteBuffer.wrap(input));
                assertEquals(FrameParser.INITIAL_PAYLOAD_CAPACITY, parser.payloadCapacity());
                assertEquals(Integer.MAX_VALUE - 8L, recorder.headers.get(0).length());
                assertTrue(recorder.frames.isEmpty());
            }
        }

        @Test
        void growsToExactlyTheFrameLengthWhenFedInSmallChunks() {
            int length = 200 * 1024 + 17;
            byte[] payload = pattern(length);
            byte[] input = concat(Hex.decode(String.format("82 7f %016x", length)), payload);
            for (int size : new int[] {1000, 65536, 70000}) {
                Recorder recorder = parse(CLIENT, NO_LIMIT, Splits.chunksOf(input, size));
                Frame frame = recorder.frames.get(0);
                assertArrayEquals(payload, frame.payloadBytes(), "chunks of " + size);
                assertEquals(length, frame.payload().capacity(), "chunks of " + size);
            }
        }

        @Test
        void doublesUntilAnEighthOfTheFrameHasArrivedThenJumpsToItsLength() {
            int length = 1024 * 1024;
            byte[] payload = pattern(length);
            Recorder recorder = new Recorder();
            FrameParser parser = new FrameParser(CLIENT, NO_LIMIT, recorder);
            parser.feed(Hex.buffer("82 7f 00 00 00 00 00 10 00 00")); // binary, 1 MiB
            int chunk = 10 * 1024;
            int fed = 0;
            for (; fed < 120 * 1024; fed += chunk) {
                parser.feed(ByteBuffer.wrap(payload, fed, chunk));
            }
            assertEquals(2 * FrameParser.INITIAL_PAYLOAD_CAPACITY, parser.payloadCapacity(), "64, then 128 KiB");
            for (; fed < 140 * 1024; fed += chunk) {
                parser.feed(ByteBuffer.wrap(payload, fed, chunk));
            }
            assertEquals(length, parser.payloadCapacity(), "past 128 KiB, an eighth: the whole length");
            parser.feed(ByteBuffer.wrap(payload, fed, length - fed));
            assertArrayEquals(payload, recorder.frames.get(0).payloadBytes());
        }

        @Test
        void allocatesSixtyFourKibibytesThenTheWholeFrameForAMebibyteInSixtyFourKibibyteDirectReads() {
            // The end-to-end bin1m case: a masked 1 MiB frame, the header read alone, then the payload in
            // sixteen 64 KiB direct buffers.
            int length = 1024 * 1024;
            int key = 0x37fa213d;
            byte[] payload = pattern(length);
            ByteBuffer masked = ByteBuffer.wrap(payload.clone());
            Masker.mask(masked, key, 0);
            byte[] input = concat(Hex.decode(String.format("82 ff %016x %08x", length, key)), masked.array());
            int header = input.length - length;
            List<ByteBuffer> chunks = direct(Splits.chunksOf(Arrays.copyOfRange(input, header, input.length), 65536))
                    .chunks();
            Recorder recorder = new Recorder();
            FrameParser parser = new FrameParser(SERVER, NO_LIMIT, recorder);
            parser.feed(ByteBuffer.wrap(input, 0, header));
            List<Integer> capacities = new ArrayList<>();
            for (ByteBuffer chunk : chunks.subList(0, chunks.size() - 1)) {
                parser.feed(chunk);
                capacities.add(parser.payloadCapacity());
            }
            parser.feed(chunks.get(chunks.size() - 1));
            List<Integer> expected = new ArrayList<>(List.of(65536));
            expected.addAll(Collections.nCopies(14, length));
            assertEquals(expected, capacities);
            assertArrayEquals(payload, recorder.frames.get(0).payloadBytes());
            assertTrue(parser.isIdle());
        }

        @Test
        void neverHoldsMoreThanEightTimesTheBytesReceivedOrSixtyFourKibibytes() {
            for (int length : new int[] {100_000, 1024 * 1024, 3 * 1024 * 1024 + 5}) {
                byte[] input = concat(Hex.decode(String.format("82 7f %016x", length)), pattern(length));
                for (int size : new int[] {1000, 10 * 1024, 65536, 100_000}) {
                    FrameParser parser = new FrameParser(CLIENT, NO_LIMIT, frame -> {});
                    long received = -10; // the header's bytes are not payload
                    for (ByteBuffer chunk : Splits.chunksOf(input, size).chunks()) {
                        received += chunk.remaining();
                        parser.feed(chunk);
                        long bound = Math.max(
                                FrameParser.INITIAL_PAYLOAD_CAPACITY, FrameParser.FULL_LENGTH_DIVISOR * received);
                        String where = "length " + length + ", chunks of " + size + ", " + received + " received";
                        assertTrue(parser.payloadCapacity() <= bound, where + ": " + parser.payloadCapacity());
                    }
                    assertTrue(parser.isIdle());
                }
            }
        }

        @Test
        void allocatesAWholeFrameAtHandAtOnce() {
            int length = 100 * 1024;
            byte[] input = concat(Hex.decode(String.format("82 7f %016x", length)), pattern(length));
            List<ByteBuffer> chunks = new ArrayList<>();
            FrameParser parser = new FrameParser(CLIENT, NO_LIMIT, new FrameParser.Handler() {
                @Override
                public void onPayloadChunk(FrameHeader header, ByteBuffer chunk) {
                    chunks.add(chunk);
                }

                @Override
                public void onFrame(Frame frame) {
                    assertEquals(length, frame.payload().capacity());
                }
            });
            parser.feed(ByteBuffer.wrap(input));
            assertEquals(1, chunks.size(), "one chunk for a frame that is at hand");
        }
    }

    @Nested
    class Handler {

        @ParameterizedTest
        @ValueSource(booleans = {SERVER, CLIENT})
        void headerCallbackCanRejectAFrameBeforeItsPayloadIsBuffered(boolean server) {
            WebSocketProtocolException rejection =
                    new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, "unexpected continuation frame");
            List<String> calls = new ArrayList<>();
            FrameParser parser = new FrameParser(server, NO_LIMIT, new FrameParser.Handler() {
                @Override
                public void onFrameHeader(FrameHeader header) {
                    calls.add("header");
                    throw rejection;
                }

                @Override
                public void onPayloadChunk(FrameHeader header, ByteBuffer chunk) {
                    calls.add("chunk");
                }

                @Override
                public void onFrame(Frame frame) {
                    calls.add("frame");
                }
            });
            ByteBuffer input = Hex.buffer("80 " + mask(server, 3) + " " + key(server) + " 01 02 03");
            WebSocketProtocolException thrown =
                    assertThrows(WebSocketProtocolException.class, () -> parser.feed(input));
            assertSame(rejection, thrown);
            assertEquals(List.of("header"), calls);
            assertEquals(server ? 6 : 2, input.position(), "payload bytes consumed");
            assertFalse(parser.isIdle());
            assertThrows(IllegalStateException.class, () -> parser.feed(Hex.buffer("81 00")));
        }

        @Test
        void chunksArriveAsSoonAsTheirBytesDo() {
            List<String> calls = new ArrayList<>();
            FrameParser parser = new FrameParser(SERVER, NO_LIMIT, new FrameParser.Handler() {
                @Override
                public void onPayloadChunk(FrameHeader header, ByteBuffer chunk) {
                    calls.add("chunk " + Hex.encode(chunk));
                }

                @Override
                public void onFrame(Frame frame) {
                    calls.add("frame " + Hex.encode(frame.payload()));
                }
            });
            parser.feed(Hex.buffer("81 85 37 fa 21 3d 7f 9f")); // "Hello" masked, two payload bytes
            assertEquals(List.of("chunk 48 65"), calls);
            parser.feed(Hex.buffer("4d 51 58"));
            assertEquals(List.of("chunk 48 65", "chunk 6c 6c 6f", "frame 48 65 6c 6c 6f"), calls);
        }

        @Test
        void chunksAreOnlyGivenForFramesWhoseHandlerWantsThem() {
            // Masked: text "Hello", binary 01 02 03, text "Hi".
            byte[] input = Hex.decode(
                    "81 85 37 fa 21 3d 7f 9f 4d 51 58" + " 82 83 37 fa 21 3d 36 f8 22" + " 81 82 37 fa 21 3d 7f 93");
            for (Splits.Chunking chunking : Splits.of(input)) {
                List<String> calls = new ArrayList<>();
                FrameParser parser = new FrameParser(SERVER, NO_LIMIT, new FrameParser.Handler() {
                    @Override
                    public boolean wantsPayloadChunks(FrameHeader header) {
                        return header.opcode() == Opcode.TEXT;
                    }

                    @Override
                    public void onPayloadChunk(FrameHeader header, ByteBuffer chunk) {
                        calls.add("chunk " + header.opcode());
                    }

                    @Override
                    public void onFrame(Frame frame) {
                        calls.add("frame " + Hex.encode(frame.payload()));
                    }
                });
                for (ByteBuffer buffer : chunking.chunks()) {
                    parser.feed(buffer);
                }
                List<String> frames =
                        calls.stream().filter(call -> call.startsWith("frame")).toList();
                assertEquals(List.of("frame 48 65 6c 6c 6f", "frame 01 02 03", "frame 48 69"), frames, chunking.name());
                assertTrue(calls.stream().noneMatch(call -> call.equals("chunk BINARY")), chunking.name());
                assertTrue(calls.contains("chunk TEXT"), chunking.name());
            }
        }

        @Test
        void chunkCallbackCanFailTheFrameFast() {
            IllegalStateException boom = new IllegalStateException("handler bug");
            List<Frame> frames = new ArrayList<>();
            FrameParser parser = new FrameParser(CLIENT, NO_LIMIT, new FrameParser.Handler() {
                @Override
                public void onPayloadChunk(FrameHeader header, ByteBuffer chunk) {
                    throw boom;
                }

                @Override
                public void onFrame(Frame frame) {
                    frames.add(frame);
                }
            });
            assertSame(boom, assertThrows(IllegalStateException.class, () -> parser.feed(Hex.buffer("81 02 c0"))));
            assertTrue(frames.isEmpty());
            assertThrows(IllegalStateException.class, () -> parser.feed(Hex.buffer("af")));
        }

        @Test
        void frameCallbackExceptionsPropagateUnchangedAndFailTheParser() {
            WebSocketProtocolException invalid =
                    new WebSocketProtocolException(CloseCodes.INVALID_PAYLOAD, "invalid utf-8");
            FrameParser parser = new FrameParser(CLIENT, NO_LIMIT, frame -> {
                throw invalid;
            });
            assertSame(invalid, assertThrows(WebSocketProtocolException.class, () -> parser.feed(Hex.buffer("81 00"))));
            assertFalse(parser.isIdle());
            assertThrows(IllegalStateException.class, () -> parser.feed(Hex.buffer("81 00")));
        }

        @Test
        void framesOwnTheirPayload() {
            List<Frame> frames = new ArrayList<>();
            FrameParser parser = new FrameParser(CLIENT, NO_LIMIT, frames::add);
            byte[] input = Hex.decode("82 03 01 02 03");
            parser.feed(ByteBuffer.wrap(input));
            input[2] = 0x7f; // the caller reuses its buffer
            assertEquals("01 02 03", Hex.encode(frames.get(0).payload()));
        }

        @Test
        void parsesManyFramesFromOneBufferAndTakesEveryByte() {
            List<Frame> frames = new ArrayList<>();
            FrameParser parser = new FrameParser(CLIENT, NO_LIMIT, frames::add);
            ByteBuffer input = Hex.buffer("81 02 68 69  89 00  82 01 ff  8a 01 2a");
            parser.feed(input);
            assertFalse(input.hasRemaining());
            assertEquals(4, frames.size());
            assertTrue(parser.isIdle());
        }

        @Test
        void parsesFromADirectBuffer() {
            List<Frame> frames = new ArrayList<>();
            FrameParser parser = new FrameParser(SERVER, NO_LIMIT, frames::add);
            byte[] bytes = Hex.decode("81 85 37 fa 21 3d 7f 9f 4d 51 58");
            parser.feed(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip());
            assertEquals("Hello", frames.get(0).payloadText());
        }

        @Test
        void isIdleOnlyBetweenFrames() {
            FrameParser parser = new FrameParser(CLIENT, NO_LIMIT, frame -> {});
            assertTrue(parser.isIdle());
            parser.feed(ByteBuffer.allocate(0));
            assertTrue(parser.isIdle());
            for (String piece : new String[] {"82", "7e", "00", "02", "01"}) {
                parser.feed(Hex.buffer(piece));
                assertFalse(parser.isIdle(), "after " + piece);
            }
            parser.feed(Hex.buffer("02"));
            assertTrue(parser.isIdle());
        }

        @Test
        void rejectsANullHandler() {
            assertThrows(NullPointerException.class, () -> new FrameParser(CLIENT, NO_LIMIT, null));
        }
    }

    @Nested
    class Header {

        @Test
        void rejectsANegativeLength() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new FrameHeader(true, false, false, false, Opcode.TEXT, false, -1));
        }

        @Test
        void rejectsANullOpcode() {
            assertThrows(NullPointerException.class, () -> new FrameHeader(true, false, false, false, null, false, 0));
        }

        @Test
        void reportsEveryFieldOfTheWireHeader() {
            Recorder recorder = new Recorder();
            new FrameParser(SERVER, NO_LIMIT, recorder).feed(Hex.buffer("31 83 00 00 00 00 01 02 03"));
            assertEquals(new FrameHeader(false, false, true, true, Opcode.TEXT, true, 3), recorder.headers.get(0));
        }
    }

    @Nested
    class PauseAndDiscard {
        /** Three unmasked text frames "a", "b", "c". */
        private final byte[] input = Hex.decode("81 01 61 81 01 62 81 01 63");

        @Test
        void pauseFromOnFrameLeavesTheNextFrameInTheInputOnEverySplit() {
            for (Splits.Chunking chunking : Splits.of(input)) {
                List<String> seen = new ArrayList<>();
                FrameParser[] parser = new FrameParser[1];
                parser[0] = new FrameParser(false, NO_LIMIT, frame -> {
                    seen.add(StandardCharsets.US_ASCII.decode(frame.payload()).toString());
                    parser[0].pause();
                });
                List<Integer> framesPerFeed = new ArrayList<>();
                for (ByteBuffer chunk : chunking.chunks()) {
                    while (chunk.hasRemaining()) {
                        int before = seen.size();
                        parser[0].feed(chunk);
                        framesPerFeed.add(seen.size() - before);
                    }
                }
                assertEquals(List.of("a", "b", "c"), seen, chunking.name());
                assertTrue(framesPerFeed.stream().allMatch(n -> n <= 1), chunking.name() + ": " + framesPerFeed);
                assertTrue(parser[0].isIdle(), chunking.name());
            }
        }

        @Test
        void discardFromOnFrameDropsTheRestAndEveryLaterByteWithoutFailing() {
            List<String> seen = new ArrayList<>();
            FrameParser[] parser = new FrameParser[1];
            parser[0] = new FrameParser(false, NO_LIMIT, frame -> {
                seen.add(StandardCharsets.US_ASCII.decode(frame.payload()).toString());
                parser[0].discard();
            });
            ByteBuffer data = ByteBuffer.wrap(input);
            parser[0].feed(data);
            assertFalse(data.hasRemaining());
            assertTrue(parser[0].isDiscarding());
            parser[0].feed(Hex.buffer("ff ff ff")); // not even a valid frame: ignored, no failure
            assertEquals(List.of("a"), seen);
        }

        @Test
        void discardFromOnFrameHeaderDeliversNothingOfThatFrame() {
            List<Frame> frames = new ArrayList<>();
            FrameParser[] parser = new FrameParser[1];
            parser[0] = new FrameParser(false, NO_LIMIT, new FrameParser.Handler() {
                @Override
                public void onFrameHeader(FrameParser.FrameHeader header) {
                    parser[0].discard();
                }

                @Override
                public void onFrame(Frame frame) {
                    frames.add(frame);
                }
            });
            parser[0].feed(Hex.buffer("81 00 81 01 61"));
            assertTrue(frames.isEmpty());
        }

        @Test
        void pauseOutsideFeedDoesNothing() {
            Recorder recorder = new Recorder();
            FrameParser parser = new FrameParser(false, NO_LIMIT, recorder);
            parser.pause();
            ByteBuffer data = ByteBuffer.wrap(input);
            parser.feed(data);
            assertEquals(3, recorder.frames.size());
        }
    }
}
