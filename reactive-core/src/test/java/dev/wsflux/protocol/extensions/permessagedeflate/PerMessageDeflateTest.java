package dev.wsflux.protocol.extensions.permessagedeflate;

import static dev.wsflux.protocol.testing.PerMessageDeflateFixtures.buffer;
import static dev.wsflux.protocol.testing.PerMessageDeflateFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wsflux.protocol.Protocol;
import dev.wsflux.protocol.ProtocolState;
import dev.wsflux.protocol.codec.FrameSerializer;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.http11.ExtensionOffer;
import dev.wsflux.protocol.http11.ExtensionParameter;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Outcome;
import dev.wsflux.protocol.testing.PerMessageDeflateFixtures;
import dev.wsflux.protocol.testing.Splits;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PerMessageDeflateTest {
    private static final PerMessageDeflateOptions COMPRESS_ALL =
            PerMessageDeflateOptions.builder().compressionThreshold(0).build();

    /** An extension with context takeover and 15-bit windows both ways. */
    private static PerMessageDeflate deflate(PerMessageDeflateOptions options) {
        return new PerMessageDeflate(ExtensionOffer.of(PerMessageDeflate.NAME), options, false, 15, false, 15);
    }

    private static PerMessageDeflate deflate(
            boolean localNoContextTakeover, int localBits, boolean remoteNoContextTakeover, int remoteBits) {
        return new PerMessageDeflate(
                ExtensionOffer.of(PerMessageDeflate.NAME),
                COMPRESS_ALL,
                localNoContextTakeover,
                localBits,
                remoteNoContextTakeover,
                remoteBits);
    }

    /**
     * A fresh protocol of {@code role} ("client" or "server"), open, that negotiated permessage-deflate with the
     * peer's 15-bit window and context takeover (so one inflater lives between messages), with the default
     * {@code maxFrameSize} (derived) and {@code maxSize}, or the given {@code maxSize} when it is not 0.
     */
    private static Protocol openWithDeflate(String role, long maxSize) {
        return openWithDeflate(role, maxSize, 0);
    }

    /** As {@link #openWithDeflate(String, long)}, with {@code maxFrameSize} set (0: derived). */
    private static Protocol openWithDeflate(String role, long maxSize, long maxFrameSize) {
        long size = maxSize == 0 ? 1 << 20 : maxSize;
        return role.equals("client")
                ? OpenProtocols.client(
                        builder -> builder.maxSize(size)
                                .maxFrameSize(maxFrameSize)
                                .extensions(List.of(PerMessageDeflateClientFactory.create())),
                        "Sec-WebSocket-Extensions: permessage-deflate")
                : OpenProtocols.server(
                        builder -> builder.maxSize(size)
                                .maxFrameSize(maxFrameSize)
                                .extensions(List.of(PerMessageDeflateServerFactory.create())),
                        "Sec-WebSocket-Extensions: permessage-deflate");
    }

    /** The frames as the peer of {@code role} puts them on the wire: masked when the peer is a client. */
    private static byte[] fromPeerOf(String role, Frame... frames) {
        FrameSerializer peer = new FrameSerializer(role.equals("server"), MaskKeySource.fixed(OpenProtocols.MASK));
        List<ByteBuffer> wire = new ArrayList<>();
        for (Frame frame : frames) {
            wire.add(peer.serialize(frame));
        }
        return OpenProtocols.concat(wire);
    }

    /**
     * Feeds {@code wire} to a fresh protocol from {@code factory} in each of {@code chunkings}, asserts that the
     * outcome does not depend on the chunking and returns it.
     */
    private static Outcome feed(Supplier<? extends Protocol> factory, byte[] wire, List<Splits.Chunking> chunkings) {
        Outcome first = null;
        for (Splits.Chunking chunking : chunkings) {
            List<byte[]> chunks = new ArrayList<>();
            for (ByteBuffer chunk : chunking.chunks()) {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                chunks.add(bytes);
            }
            Outcome outcome = Outcome.of(factory, chunks);
            if (first == null) {
                first = outcome;
            } else if (!first.equals(outcome)) {
                String expected = abbreviate(first);
                fail(chunking.name() + ": " + abbreviate(outcome) + " instead of " + expected);
            }
        }
        return first;
    }

    /** An outcome's description cut to 300 characters: a 1 MiB payload is 2 MiB of hex. */
    private static String abbreviate(Outcome outcome) {
        String text = outcome.toString();
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    /** A frame as on the wire, unmasked, for payloads under 126 bytes: {@code c1 07 f2 48 ...}. */
    private static String wire(Frame frame) {
        int first = (frame.fin() ? 0x80 : 0)
                | (frame.rsv1() ? 0x40 : 0)
                | frame.opcode().code();
        return String.format("%02x %02x %s", first, frame.length(), hex(frame.payload()))
                .trim();
    }

    private static Frame frame(Opcode opcode, String payloadHex, boolean fin, boolean rsv1) {
        return new Frame(opcode, buffer(payloadHex), fin, rsv1, false, false);
    }

    @Nested
    class Rfc7692Examples {
        // RFC 7692 §7.2.3.1: "Hello" compressed with one compressed DEFLATE block.
        @Test
        void compressesHelloAsInSection7231() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            assertEquals("c1 07 f2 48 cd c9 c9 07 00", wire(extension.encode(Frame.text("Hello"), true)));
        }

        // RFC 7692 §7.2.3.2: the second "Hello" refers to the first through the shared window.
        @Test
        void compressesTheSecondHelloWithTheSharedWindowAsInSection7232() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            extension.encode(Frame.text("Hello"), true);
            assertEquals("c1 05 f2 00 11 00 00", wire(extension.encode(Frame.text("Hello"), true)));
        }

        @Test
        void decodesHelloAndTheSecondHelloOnTheSameContext() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            Frame first = extension.decode(frame(Opcode.TEXT, "f2 48 cd c9 c9 07 00", true, true), 100);
            Frame second = extension.decode(frame(Opcode.TEXT, "f2 00 11 00 00", true, true), 100);
            assertEquals("Hello", first.payloadText());
            assertEquals("Hello", second.payloadText());
            assertFalse(first.rsv1());
            assertFalse(second.rsv1());
        }

        // RFC 7692 §7.2.3.1: the same message in two fragments: 41 03 f2 48 cd, 80 04 c9 c9 07 00.
        @Test
        void decodesTheFragmentedHello() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            Frame first = extension.decode(frame(Opcode.TEXT, "f2 48 cd", false, true), 100);
            Frame second = extension.decode(frame(Opcode.CONTINUATION, "c9 c9 07 00", true, false), 100);
            assertEquals(Opcode.TEXT, first.opcode());
            assertFalse(first.fin());
            assertFalse(first.rsv1());
            assertEquals(Opcode.CONTINUATION, second.opcode());
            assertTrue(second.fin());
            assertEquals("Hello", first.payloadText() + second.payloadText());
        }

        // RFC 7692 §7.2.3.3: c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00, a stored block.
        @Test
        void decodesTheUncompressedBlockForm() {
            Frame decoded = deflate(COMPRESS_ALL)
                    .decode(frame(Opcode.TEXT, "00 05 00 fa ff 48 65 6c 6c 6f 00", true, true), 100);
            assertEquals("Hello", decoded.payloadText());
        }

        // RFC 7692 §7.2.3.4: f3 48 cd c9 c9 07 00 00, a block with BFINAL set.
        @Test
        void decodesTheBfinalForm() {
            Frame decoded =
                    deflate(COMPRESS_ALL).decode(frame(Opcode.TEXT, "f3 48 cd c9 c9 07 00 00", true, true), 100);
            assertEquals("Hello", decoded.payloadText());
        }

        // RFC 7692 §7.2.3.5: "He" and "llo" in two DEFLATE blocks.
        @Test
        void decodesTwoBlocksInOneMessage() {
            Frame decoded = deflate(COMPRESS_ALL)
                    .decode(frame(Opcode.TEXT, "f2 48 05 00 00 00 ff ff ca c9 c9 07 00", true, true), 100);
            assertEquals("Hello", decoded.payloadText());
        }

        // RFC 7692 §7.2.3.6: an empty message is the single byte 00.
        @Test
        void compressesAnEmptyMessageToOneZeroByte() {
            assertEquals("c1 01 00", wire(deflate(COMPRESS_ALL).encode(Frame.text(""), true)));
        }

        @Test
        void decodesAnEmptyMessageFromOneZeroByteOrFromAnEmptyPayload() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            assertEquals(
                    0, extension.decode(frame(Opcode.TEXT, "00", true, true), 0).length());
            assertEquals(
                    0, extension.decode(frame(Opcode.BINARY, "", true, true), 0).length());
            assertEquals(
                    "Hello",
                    extension
                            .decode(frame(Opcode.TEXT, "f2 48 cd c9 c9 07 00", true, true), 5)
                            .payloadText());
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "one block, f2 48 cd c9 c9 07 00",
            "stored block, 00 05 00 fa ff 48 65 6c 6c 6f 00",
            "bfinal, f3 48 cd c9 c9 07 00 00",
            "two blocks, f2 48 05 00 00 00 ff ff ca c9 c9 07 00"
        })
        void decodesEveryExampleSplitIntoFramesAtEveryPosition(String name, String payloadHex) {
            byte[] payload = PerMessageDeflateFixtures.bytes(payloadHex);
            for (int cut = 0; cut <= payload.length; cut++) {
                assertEquals("Hello", decodeSplit(payload, cut), name + " cut at " + cut);
            }
            // and one byte per frame
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < payload.length; i++) {
                Opcode opcode = i == 0 ? Opcode.TEXT : Opcode.CONTINUATION;
                Frame frame = new Frame(
                        opcode, ByteBuffer.wrap(payload, i, 1).slice(), i == payload.length - 1, i == 0, false, false);
                text.append(extension.decode(frame, 100).payloadText());
            }
            assertEquals("Hello", text.toString());
        }

        private String decodeSplit(byte[] payload, int cut) {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            Frame first =
                    new Frame(Opcode.TEXT, ByteBuffer.wrap(payload, 0, cut).slice(), false, true, false, false);
            Frame last = new Frame(
                    Opcode.CONTINUATION,
                    ByteBuffer.wrap(payload, cut, payload.length - cut).slice(),
                    true,
                    false,
                    false,
                    false);
            String text = extension.decode(first, 100).payloadText();
            return text + extension.decode(last, 100).payloadText();
        }
    }

    /**
     * RFC 7692 §7.2.2: "Append 4 octets of 0x00 0x00 0xff 0xff to the tail end of the payload of the message":
     * of the message, so also when its last frame is empty, as it is when a sender cuts the compressed data
     * into frames of N bytes and N divides its length (Autobahn|Testsuite's {@code autoFragmentSize}). With
     * context takeover, a missing tail leaves the shared inflater inside a stored block and breaks the next
     * message. Open protocols of both roles are fed the wire bytes in every chunking.
     */
    @Nested
    class EmptyFinalFrames {
        /** "Hello" in three frames, the last one empty (§7.2.3.1's payload), then "Hello" again (§7.2.3.2). */
        private static final Frame[] HELLO_ENDING_EMPTY_THEN_HELLO = {
            new Frame(Opcode.TEXT, buffer("f2 48 cd"), false, true, false, false),
            new Frame(Opcode.CONTINUATION, buffer("c9 c9 07 00"), false),
            new Frame(Opcode.CONTINUATION, buffer(""), true),
            // refers back to the first "Hello" through the shared window
            new Frame(Opcode.TEXT, buffer("f2 00 11 00 00"), true, true, false, false)
        };

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"client", "server"})
        void theNextMessageDecodesWithTheSharedWindowAfterAnEmptyFinalFrame(String role) {
            Outcome outcome = feedEveryChunking(role, HELLO_ENDING_EMPTY_THEN_HELLO);
            assertEquals(0, outcome.failureCode(), outcome.toString());
            assertEquals(List.of("TEXT 48656c6c6f", "TEXT 48656c6c6f"), messages(outcome));
            assertEquals(4, outcome.events().size(), "one event per frame");
            assertEquals(List.of(), outcome.sent());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"client", "server"})
        void aMessageWithNoCompressedByteInAnyFrameIsEmptyAndLeavesTheWindowAlone(String role) {
            Outcome outcome = feedEveryChunking(
                    role,
                    new Frame(Opcode.TEXT, buffer("f2 48 cd c9 c9 07 00"), true, true, false, false),
                    new Frame(Opcode.BINARY, buffer(""), false, true, false, false),
                    new Frame(Opcode.CONTINUATION, buffer(""), true),
                    new Frame(Opcode.TEXT, buffer("f2 00 11 00 00"), true, true, false, false));
            assertEquals(0, outcome.failureCode(), outcome.toString());
            assertEquals(List.of("TEXT 48656c6c6f", "BINARY ", "TEXT 48656c6c6f"), messages(outcome));
        }

        /** The messages the events make up: the first frame's opcode and the joined payloads in hex. */
        private List<String> messages(Outcome outcome) {
            List<String> messages = new ArrayList<>();
            StringBuilder message = null;
            for (String event : outcome.events()) {
                // "TEXT 48", "CONTINUATION fin 656c6c6f", "CONTINUATION fin "
                String[] parts = event.split(" ", -1);
                if (message == null) {
                    message = new StringBuilder(parts[0]).append(' ');
                }
                message.append(parts[parts.length - 1]);
                if (parts[1].equals("fin")) {
                    messages.add(message.toString());
                    message = null;
                }
            }
            return messages;
        }

        private Outcome feedEveryChunking(String role, Frame... frames) {
            byte[] wire = fromPeerOf(role, frames);
            return feed(() -> openWithDeflate(role, 0), wire, Splits.of(wire));
        }
    }

    /**
     * {@code maxSize} is the largest message "after decompression", as documented, so an incompressible message of
     * exactly {@code maxSize} bytes, which DEFLATE makes larger, is accepted and one byte more fails with 1009.
     * With {@code maxFrameSize} derived (the default), the frames of a compressed message may carry up to {@link
     * PerMessageDeflate#maxCompressedLength} of {@code maxSize}, checked from the header before the payload is
     * buffered; every other frame, and a {@code maxFrameSize} that was set, keep the exact limit.
     */
    @Nested
    class MaxSize {
        private static final int MIB = 1 << 20;

        /** Random bytes: DEFLATE stores them, in more bytes than they are. */
        private static byte[] incompressible(int length) {
            byte[] bytes = new byte[length];
            new Random(length).nextBytes(bytes);
            return bytes;
        }

        /** A binary message compressed by zlib (the JDK's, level 6, 15-bit window) into one frame. */
        private static Frame compressed(byte[] message) {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 15, true);
            try {
                ByteBuffer payload = encoder.encode(ByteBuffer.wrap(message), true);
                return new Frame(Opcode.BINARY, payload, true, true, false, false);
            } finally {
                encoder.close();
            }
        }

        /** A frame header with a 64-bit length, as the peer of {@code role} sends it (masked from a client). */
        private static byte[] header(String role, int firstByte, long length) {
            boolean masked = role.equals("server");
            ByteBuffer header = ByteBuffer.allocate(14)
                    .put((byte) firstByte)
                    .put((byte) ((masked ? 0x80 : 0) | 127))
                    .putLong(length);
            if (masked) {
                header.putInt(OpenProtocols.MASK);
            }
            return Arrays.copyOf(header.array(), header.position());
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] both = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            return both;
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"client", "server"})
        void acceptsAnIncompressibleMessageOfExactlyTheDefaultMaxSizeThoughItIsLargerOnTheWire(String role) {
            byte[] message = incompressible(MIB);
            Frame frame = compressed(message);
            assertTrue(frame.length() > MIB, "compressed to " + frame.length() + " bytes");
            byte[] wire = fromPeerOf(role, frame);
            Outcome outcome = feed(
                    () -> openWithDeflate(role, 0),
                    wire,
                    List.of(Splits.whole(wire), Splits.chunksOf(wire, 1000), Splits.oneByteAtATime(wire)));
            assertEquals(0, outcome.failureCode(), abbreviate(outcome));
            assertEquals(List.of(Outcome.describe(Frame.binary(message))), outcome.events());
            assertEquals(List.of(), outcome.sent());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"client", "server"})
        void failsWith1009OnAnIncompressibleMessageOfOneByteMoreThanTheDefaultMaxSize(String role) {
            byte[] wire = fromPeerOf(role, compressed(incompressible(MIB + 1)));
            Outcome outcome = feed(
                    () -> openWithDeflate(role, 0), wire, List.of(Splits.whole(wire), Splits.chunksOf(wire, 1000)));
            assertEquals(List.of(), outcome.events());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.failureCode());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.sentCloseCode());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"client", "server"})
        void appliesMaxSizeToTheDecompressedBytesWhateverTheSplit(String role) {
            int maxSize = 1000;
            byte[] exact = incompressible(maxSize);
            Frame frame = compressed(exact);
            assertTrue(frame.length() > maxSize, "compressed to " + frame.length() + " bytes");
            byte[] wire = fromPeerOf(role, frame);
            Outcome accepted = feed(() -> openWithDeflate(role, maxSize), wire, Splits.of(wire));
            assertEquals(0, accepted.failureCode(), abbreviate(accepted));
            assertEquals(List.of(Outcome.describe(Frame.binary(exact))), accepted.events());
            byte[] over = fromPeerOf(role, compressed(incompressible(maxSize + 1)));
            Outcome refused = feed(() -> openWithDeflate(role, maxSize), over, Splits.of(over));
            assertEquals(List.of(), refused.events());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, refused.failureCode());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, refused.sentCloseCode());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"client", "server"})
        void refusesACompressedFrameFromItsHeaderAloneBeyondTheMostZlibMakesOfMaxSize(String role) {
            long bound = PerMessageDeflate.maxCompressedLength(MIB);
            assertHeaderOutcome(role, 0, header(role, 0xc2, bound)); // FIN, RSV1, binary: waits for the payload
            assertHeaderOutcome(role, CloseCodes.MESSAGE_TOO_BIG, header(role, 0xc2, bound + 1));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"client", "server"})
        void allowsTheWireBoundToTheContinuationsOfACompressedMessageThoughRsv1IsOnTheFirstFrameOnly(String role) {
            long bound = PerMessageDeflate.maxCompressedLength(MIB);
            byte[] first = fromPeerOf(role, new Frame(Opcode.TEXT, buffer("f2 48 cd"), false, true, false, false));
            assertHeaderOutcome(role, 0, concat(first, header(role, 0x80, bound))); // FIN, continuation
            assertHeaderOutcome(role, CloseCodes.MESSAGE_TOO_BIG, concat(first, header(role, 0x80, bound + 1)));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"client", "server"})
        void keepsTheExactLimitForUncompressedFrames(String role) {
            assertHeaderOutcome(role, 0, header(role, 0x82, MIB)); // FIN, binary
            assertHeaderOutcome(role, CloseCodes.MESSAGE_TOO_BIG, header(role, 0x82, MIB + 1));
            byte[] first = fromPeerOf(role, new Frame(Opcode.BINARY, buffer("01"), false));
            assertHeaderOutcome(role, CloseCodes.MESSAGE_TOO_BIG, concat(first, header(role, 0x80, MIB)));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"client", "server"})
        void keepsAMaxFrameSizeThatWasSetForCompressedFramesToo(String role) {
            byte[] atLimit = header(role, 0xc2, 1000);
            Outcome waiting = feed(() -> openWithDeflate(role, 0, 1000), atLimit, Splits.of(atLimit));
            assertEquals(0, waiting.failureCode());
            byte[] beyond = header(role, 0xc2, 1001);
            Outcome refused = feed(() -> openWithDeflate(role, 0, 1000), beyond, Splits.of(beyond));
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, refused.failureCode());
        }

        @Test
        void maxCompressedLengthIsZlibsBoundForUnknownParametersPlusOneSyncFlush() {
            assertEquals(7 + 5, PerMessageDeflate.maxCompressedLength(0)); // the stored-block bound wins below 36
            assertEquals(1_185_801, PerMessageDeflate.maxCompressedLength(MIB));
            // 1 MiB of random bytes as Python websockets, libsoup and Node ws sent it (issue 16), and the most
            // zlib 1.2.13 made of 1 MiB of bytes 144 to 255 (9-bit window, memLevel 5, Z_FIXED)
            for (long seen : new long[] {1_051_137, 1_048_897, 1_048_902, 1_180_046}) {
                assertTrue(seen <= PerMessageDeflate.maxCompressedLength(MIB), seen + " bytes");
            }
            assertEquals(Long.MAX_VALUE, PerMessageDeflate.maxCompressedLength(Long.MAX_VALUE));
        }

        @Test
        void maxCompressedLengthBoundsWhatTheJdksZlibMakesOfRandomBytesWithItsFlush() {
            Random random = new Random(7692);
            for (int level : new int[] {0, 1, 6, 9}) {
                for (int length = 0; length < 70_000; length += 1 + random.nextInt(length / 4 + 1)) {
                    byte[] message = new byte[length];
                    random.nextBytes(message);
                    Deflater deflater = new Deflater(level, true);
                    deflater.setInput(message);
                    byte[] output = new byte[2 * length + 64];
                    int written = deflater.deflate(output, 0, output.length, Deflater.SYNC_FLUSH);
                    deflater.end();
                    assertTrue(
                            written <= PerMessageDeflate.maxCompressedLength(length),
                            "level " + level + ": " + length + " bytes made " + written);
                }
            }
        }

        @ParameterizedTest(name = "window {0}")
        @ValueSource(ints = {8, 9, 12, 15})
        void maxCompressedLengthBoundsWhatOurOwnEncoderMakesOfMaxSizeRandomBytesInEveryWindow(int bits) {
            // Below 15 bits the encoder flushes a segment at least every half window, each flush a stored block.
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, bits, false);
            int length =
                    encoder.encode(ByteBuffer.wrap(incompressible(MIB)), true).remaining();
            encoder.close();
            assertTrue(length <= PerMessageDeflate.maxCompressedLength(MIB), length + " bytes");
        }

        /**
         * Feeds {@code wire}, which ends with a frame header and none of its payload, in every chunking to a
         * protocol with the default limits: {@code failure} 0 means still open and waiting for the payload.
         */
        private void assertHeaderOutcome(String role, int failure, byte[] wire) {
            Outcome outcome = feed(() -> openWithDeflate(role, 0), wire, Splits.of(wire));
            assertEquals(failure, outcome.failureCode(), abbreviate(outcome));
            if (failure == 0) {
                assertEquals(ProtocolState.OPEN, outcome.state());
                assertEquals(List.of(), outcome.sent());
            } else {
                assertEquals(failure, outcome.sentCloseCode());
            }
        }
    }

    @Nested
    class Rsv1Rules {
        // RFC 7692 §6: "An endpoint MUST NOT set the "Per-Message Compressed" bit of control frames and
        // non-first fragments of a data message. An endpoint receiving such a frame MUST _Fail the
        // WebSocket Connection_."
        @ParameterizedTest
        @CsvSource({"PING, ping", "PONG, pong", "CLOSE, close"})
        void failsWith1002OnAControlFrameWithRsv1(Opcode opcode, String name) {
            WebSocketProtocolException e = assertThrows(WebSocketProtocolException.class, () -> deflate(COMPRESS_ALL)
                    .decode(frame(opcode, "", true, true), 100));
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
            assertEquals("rsv1 set on a " + name + " frame", e.getMessage());
        }

        @Test
        void failsWith1002OnACompressedMessagesContinuationWithRsv1() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            extension.decode(frame(Opcode.TEXT, "f2 48 cd", false, true), 100);
            WebSocketProtocolException e = assertThrows(
                    WebSocketProtocolException.class,
                    () -> extension.decode(frame(Opcode.CONTINUATION, "c9 c9 07 00", true, true), 100));
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
            assertEquals("rsv1 set on a continuation frame", e.getMessage());
        }

        @Test
        void failsWith1002OnAnUncompressedMessagesContinuationWithRsv1() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            extension.decode(frame(Opcode.TEXT, "48", false, false), 100);
            WebSocketProtocolException e = assertThrows(
                    WebSocketProtocolException.class,
                    () -> extension.decode(frame(Opcode.CONTINUATION, "69", true, true), 100));
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
        }

        @Test
        void failsWith1002WhenAMessageStartsInsideACompressedMessage() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            extension.decode(frame(Opcode.TEXT, "f2 48 cd", false, true), 100);
            WebSocketProtocolException e = assertThrows(
                    WebSocketProtocolException.class,
                    () -> extension.decode(frame(Opcode.BINARY, "00", true, false), 100));
            assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
            assertEquals("expected a continuation of the compressed message, got a binary frame", e.getMessage());
        }

        @Test
        void returnsControlFramesUnchangedEvenInsideACompressedMessage() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            Frame ping = frame(Opcode.PING, "01 02", true, false);
            String start = extension
                    .decode(frame(Opcode.TEXT, "f2 48 cd", false, true), 100)
                    .payloadText();
            assertSame(ping, extension.decode(ping, 100));
            assertSame(ping, extension.encode(ping, true));
            String end = extension
                    .decode(frame(Opcode.CONTINUATION, "c9 c9 07 00", true, false), 100)
                    .payloadText();
            assertEquals("Hello", start + end);
        }

        @Test
        void returnsUncompressedMessagesUnchanged() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            Frame whole = Frame.text("Hello");
            Frame start = frame(Opcode.BINARY, "01", false, false);
            Frame end = frame(Opcode.CONTINUATION, "02", true, false);
            assertSame(whole, extension.decode(whole, 100));
            assertSame(start, extension.decode(start, 100));
            assertSame(end, extension.decode(end, 100));
        }

        @Test
        void keepsRsv2AndRsv3OfDecodedFrames() {
            Frame frame = new Frame(Opcode.TEXT, buffer("f2 48 cd c9 c9 07 00"), true, true, true, true);
            Frame decoded = deflate(COMPRESS_ALL).decode(frame, 100);
            assertEquals(0b011, decoded.rsvBits());
        }
    }

    @Nested
    class Sending {
        @Test
        void sendsMessagesShorterThanTheThresholdUncompressed() {
            PerMessageDeflate extension = deflate(PerMessageDeflateOptions.clientDefaults());
            Frame small = Frame.binary(new byte[127]);
            assertSame(small, extension.encode(small, true));
            Frame large = extension.encode(Frame.binary(new byte[128]), true);
            assertTrue(large.rsv1());
            assertTrue(large.length() < 128);
        }

        @Test
        void doesNotAllocateACompressorForMessagesBelowTheThreshold() {
            int before = PerMessageDeflate.liveZlibStreams();
            PerMessageDeflate extension = deflate(PerMessageDeflateOptions.clientDefaults());
            extension.encode(Frame.text("ack"), true);
            assertEquals(before, PerMessageDeflate.liveZlibStreams());
            extension.close();
        }

        @Test
        void sendsAMessageUncompressedWhenAskedEvenAboveTheThreshold() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            Frame frame = Frame.binary(new byte[1000]);
            assertSame(frame, extension.encode(frame, false));
            Frame start = new Frame(Opcode.TEXT, ByteBuffer.wrap(new byte[10]), false);
            Frame end = new Frame(Opcode.CONTINUATION, ByteBuffer.wrap(new byte[10]), true);
            assertSame(start, extension.encode(start, false));
            assertSame(end, extension.encode(end, false));
        }

        @Test
        void clearsAnRsv1TheCallerSetOnAnUncompressedMessage() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            Frame sent = extension.encode(frame(Opcode.TEXT, "48", false, true), false);
            assertFalse(sent.rsv1());
            assertFalse(extension
                    .encode(frame(Opcode.CONTINUATION, "69", true, true), false)
                    .rsv1());
        }

        @Test
        void compressesAFragmentedMessageWhateverTheSizeOfItsFirstFrame() {
            PerMessageDeflate extension = deflate(PerMessageDeflateOptions.clientDefaults());
            Frame first = extension.encode(new Frame(Opcode.TEXT, utf8("He"), false), true);
            Frame last = extension.encode(new Frame(Opcode.CONTINUATION, utf8("llo"), true), true);
            assertTrue(first.rsv1());
            assertFalse(first.fin());
            assertFalse(last.rsv1());
            assertTrue(last.fin());
            assertEquals(Opcode.CONTINUATION, last.opcode());
            PerMessageDeflate receiver = deflate(COMPRESS_ALL);
            assertEquals(
                    "Hello",
                    receiver.decode(first, 100).payloadText()
                            + receiver.decode(last, 100).payloadText());
        }

        @Test
        void refusesANewMessageInsideACompressedOne() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            extension.encode(new Frame(Opcode.TEXT, utf8("He"), false), true);
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> extension.encode(Frame.binary(new byte[3]), true));
            assertEquals(
                    "a binary frame started a message before the compressed message in progress ended", e.getMessage());
        }

        @Test
        void sendsWhatAFreshJdkInflaterDecodes() throws Exception {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            byte[] message = "a message that a fresh inflater must decode, a message".getBytes(StandardCharsets.UTF_8);
            Frame frame = extension.encode(Frame.binary(message.clone()), true);
            Inflater inflater = new Inflater(true);
            try {
                byte[] payload = frame.payloadBytes();
                byte[] stream = Arrays.copyOf(payload, payload.length + 4);
                stream[payload.length + 2] = (byte) 0xff;
                stream[payload.length + 3] = (byte) 0xff;
                inflater.setInput(stream);
                byte[] output = new byte[200];
                assertEquals(message.length, inflater.inflate(output));
                assertArrayEquals(message, Arrays.copyOf(output, message.length));
            } finally {
                inflater.end();
            }
        }
    }

    @Nested
    class RoundTrips {
        @ParameterizedTest(name = "local no context {0}, window {1}; remote no context {2}, window {3}")
        @CsvSource({
            "false, 15, false, 15",
            "true, 15, true, 15",
            "false, 12, false, 12",
            "true, 9, false, 15",
            "false, 8, true, 10",
        })
        void exchangesMessagesOfEverySizeBothWays(
                boolean localNoContext, int localBits, boolean remoteNoContext, int remoteBits) {
            PerMessageDeflate client = deflate(localNoContext, localBits, remoteNoContext, remoteBits);
            PerMessageDeflate server = deflate(remoteNoContext, remoteBits, localNoContext, localBits);
            Random random = new Random(6455);
            for (int i = 0; i < 60; i++) {
                byte[] message = sample(random, new int[] {0, 1, 100, 300, 5000, 40_000}[i % 6]);
                assertArrayEquals(message, exchange(client, server, message, i % 3 == 0), "to server " + i);
                assertArrayEquals(message, exchange(server, client, message, i % 4 == 0), "to client " + i);
            }
            client.close();
            server.close();
        }

        private byte[] exchange(PerMessageDeflate sender, PerMessageDeflate receiver, byte[] message, boolean split) {
            List<Frame> frames = new ArrayList<>();
            if (split) {
                int cut = message.length / 2;
                frames.add(new Frame(
                        Opcode.BINARY, ByteBuffer.wrap(message, 0, cut).slice(), false));
                frames.add(new Frame(
                        Opcode.CONTINUATION,
                        ByteBuffer.wrap(message, cut, message.length - cut).slice(),
                        true));
            } else {
                frames.add(Frame.binary(message));
            }
            ByteBuffer received = ByteBuffer.allocate(message.length);
            for (Frame frame : frames) {
                received.put(receiver.decode(sender.encode(frame, true), Long.MAX_VALUE)
                        .payload());
            }
            return received.array();
        }
    }

    @Nested
    class Lifecycle {
        @Test
        void namesItselfAndClaimsRsv1() {
            PerMessageDeflate extension = new PerMessageDeflate(
                    ExtensionOffer.of(PerMessageDeflate.NAME, ExtensionParameter.of("server_max_window_bits", "12")),
                    COMPRESS_ALL,
                    false,
                    12,
                    false,
                    15);
            assertEquals("permessage-deflate", extension.name());
            assertEquals(0b100, extension.rsvBits());
            assertEquals("permessage-deflate; server_max_window_bits=12", extension.toString());
        }

        @Test
        void refusesFramesAfterClose() {
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            extension.close();
            extension.close();
            assertThrows(IllegalStateException.class, () -> extension.encode(Frame.text("x"), true));
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> extension.decode(Frame.text("x"), 10));
            assertEquals("permessage-deflate is closed", e.getMessage());
        }

        @Test
        void createsNoZlibStreamUntilAMessageIsCompressed() {
            int before = PerMessageDeflate.liveZlibStreams();
            PerMessageDeflate extension = deflate(COMPRESS_ALL);
            assertEquals(before, PerMessageDeflate.liveZlibStreams());
            extension.encode(Frame.text("Hello"), true);
            assertEquals(before + 1, PerMessageDeflate.liveZlibStreams());
            extension.decode(frame(Opcode.TEXT, "f2 48 cd c9 c9 07 00", true, true), 100);
            assertEquals(before + 2, PerMessageDeflate.liveZlibStreams());
            extension.close();
            assertEquals(before, PerMessageDeflate.liveZlibStreams());
        }

        @Test
        void releasesZlibStreamsBetweenMessagesWithoutContextTakeover() {
            int before = PerMessageDeflate.liveZlibStreams();
            PerMessageDeflate extension = deflate(true, 15, true, 15);
            extension.encode(Frame.text("Hello"), true);
            extension.decode(frame(Opcode.TEXT, "f2 48 cd c9 c9 07 00", true, true), 100);
            assertEquals(before, PerMessageDeflate.liveZlibStreams());
            extension.encode(new Frame(Opcode.TEXT, utf8("He"), false), true);
            assertEquals(before + 1, PerMessageDeflate.liveZlibStreams());
            extension.close();
            assertEquals(before, PerMessageDeflate.liveZlibStreams());
        }

        @Test
        void keepsNoReferenceToTheLastMessageBetweenMessages() {
            PerMessageDeflate sender = deflate(false, 15, false, 15);
            PerMessageDeflate receiver = deflate(false, 15, false, 15);
            byte[] message = new byte[100_000];
            Frame compressed = sender.encode(Frame.binary(message), true);
            byte[] payload = compressed.payload().array();
            // a frame that is not the last one is the inflater's last input
            receiver.decode(
                    new Frame(Opcode.BINARY, ByteBuffer.wrap(payload, 0, 10), false, true, false, false),
                    Long.MAX_VALUE);
            WeakReference<byte[]> sent = new WeakReference<>(message);
            WeakReference<byte[]> received = new WeakReference<>(payload);
            message = null;
            compressed = null;
            payload = null;
            for (int i = 0; i < 10 && (sent.get() != null || received.get() != null); i++) {
                System.gc();
            }
            assertTrue(sent.get() == null, "the deflater keeps the message alive");
            assertTrue(received.get() == null, "the inflater keeps the frame alive");
            sender.close();
            receiver.close();
        }

        @Test
        void leaksNoZlibStreamOverTenThousandConnections() {
            int before = PerMessageDeflate.liveZlibStreams();
            byte[] message = "{\"id\":1,\"user\":\"user1\",\"action\":\"click\"}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 10_000; i++) {
                PerMessageDeflate sender = deflate(false, 15, false, 15);
                PerMessageDeflate receiver = deflate(false, 15, false, 15);
                Frame received = receiver.decode(sender.encode(Frame.binary(message.clone()), true), 1000);
                assertEquals(message.length, received.length());
                // a connection that fails in the middle of a message still releases everything
                sender.encode(new Frame(Opcode.TEXT, ByteBuffer.wrap(message), false), true);
                sender.close();
                receiver.close();
            }
            assertEquals(before, PerMessageDeflate.liveZlibStreams());
        }
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Text-like bytes: words drawn from a small vocabulary, so that they compress. */
    static byte[] sample(Random random, int length) {
        String[] words = {"alpha ", "bravo ", "charlie ", "delta ", "echo ", "{\"id\":", "\"user\":", "}, "};
        StringBuilder text = new StringBuilder(length + 10);
        while (text.length() < length) {
            text.append(words[random.nextInt(words.length)]);
            if (random.nextInt(5) == 0) {
                text.append(random.nextInt(100_000));
            }
        }
        return text.substring(0, length).getBytes(StandardCharsets.UTF_8);
    }
}
