package dev.wsflux.protocol.extensions.permessagedeflate;

import static dev.wsflux.protocol.testing.PerMessageDeflateFixtures.buffer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.PayloadTooBigException;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.testing.PerMessageDeflateFixtures;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PerMessageDeflateDecoderTest {
    private static final long MIB = 1024 * 1024;

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Payloads compressed by Python's zlib; see src/test/resources/deflate/generate.py. */
    @Nested
    class RealZlib {
        @ParameterizedTest(name = "window {0}")
        @ValueSource(ints = {9, 10, 11, 12, 13, 14, 15})
        void decodesZlibStreamsOfEveryWindowWithContextTakeover(int bits) {
            assertDecodes("zlib-w" + bits + ".hex", new PerMessageDeflateDecoder(bits, false));
        }

        @ParameterizedTest(name = "window {0}")
        @ValueSource(ints = {9, 12, 15})
        void decodesThemWhenTheNegotiatedWindowIsLargerThanTheOneUsed(int bits) {
            assertDecodes("zlib-w" + bits + ".hex", new PerMessageDeflateDecoder(15, false));
        }

        @Test
        void decodesAStreamOfLevel1AndMemLevel5LikePythonWebsockets() {
            assertDecodes("zlib-w12-level1-memlevel5.hex", new PerMessageDeflateDecoder(12, false));
        }

        @ParameterizedTest(name = "window {0}")
        @ValueSource(ints = {10, 15})
        void decodesMessagesCompressedWithoutContextTakeover(int bits) {
            assertDecodes("zlib-w15-no-context.hex", new PerMessageDeflateDecoder(bits, true));
        }

        @Test
        void decodesEachMessageSplitIntoThreeFrames() {
            List<byte[]> messages = PerMessageDeflateFixtures.messages();
            List<byte[]> payloads = PerMessageDeflateFixtures.zlibPayloads("zlib-w13.hex");
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(13, false);
            for (int i = 0; i < messages.size(); i++) {
                byte[] payload = payloads.get(i);
                int a = payload.length / 3;
                int b = payload.length * 2 / 3;
                ByteBuffer output = ByteBuffer.allocate(messages.get(i).length);
                output.put(decoder.decode(ByteBuffer.wrap(payload, 0, a), false, Long.MAX_VALUE));
                output.put(decoder.decode(ByteBuffer.wrap(payload, a, b - a), false, Long.MAX_VALUE));
                output.put(decoder.decode(ByteBuffer.wrap(payload, b, payload.length - b), true, Long.MAX_VALUE));
                assertArrayEquals(messages.get(i), output.array(), "message " + i);
            }
            decoder.close();
        }

        @Test
        void failsWith1007WhenANoContextDecoderMeetsAStreamThatTakesContextOver() {
            List<byte[]> payloads = PerMessageDeflateFixtures.zlibPayloads("zlib-w15.hex");
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, true);
            decoder.decode(ByteBuffer.wrap(payloads.get(0)), true, Long.MAX_VALUE);
            WebSocketProtocolException e = assertThrows(
                    WebSocketProtocolException.class,
                    () -> decoder.decode(ByteBuffer.wrap(payloads.get(1)), true, Long.MAX_VALUE));
            assertEquals(CloseCodes.INVALID_PAYLOAD, e.closeCode());
            assertEquals("invalid compressed data: invalid distance too far back", e.getMessage());
            decoder.close();
        }

        private void assertDecodes(String fixture, PerMessageDeflateDecoder decoder) {
            List<byte[]> messages = PerMessageDeflateFixtures.messages();
            List<byte[]> payloads = PerMessageDeflateFixtures.zlibPayloads(fixture);
            assertEquals(messages.size(), payloads.size());
            for (int i = 0; i < messages.size(); i++) {
                ByteBuffer decoded = decoder.decode(ByteBuffer.wrap(payloads.get(i)), true, Long.MAX_VALUE);
                assertArrayEquals(messages.get(i), bytes(decoded), fixture + " message " + i);
            }
            decoder.close();
        }
    }

    /**
     * RFC 7692 §7.2.2 appends the tail to "the payload of the message", however the sender cut the message's
     * compressed data into frames.
     */
    @Nested
    class Fragmentation {
        /**
         * Autobahn|Testsuite's {@code autoFragmentSize}: the compressed data cut into frames of {@code n} bytes,
         * and an empty final frame when {@code n} divides its length. Messages share one context (15-bit window,
         * context takeover, so one inflater lives across them), and run until at least three messages ended
         * with an empty frame.
         */
        @ParameterizedTest(name = "frames of {0} bytes")
        @ValueSource(ints = {1, 2, 7, 256})
        void decodesMessagesCutIntoFramesOfNBytesEndingWithAnEmptyFrameWhenNDividesTheirLength(int n) {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 15, false);
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, false);
            Random random = new Random(n);
            int endedEmpty = 0;
            int count = 0;
            for (; count < 50 || endedEmpty < 3; count++) {
                assertTrue(count < 20_000, "only " + endedEmpty + " messages ended with an empty frame");
                byte[] message = count % 3 == 0
                        ? randomBytes(random, random.nextInt(2000))
                        : PerMessageDeflateTest.sample(random, random.nextInt(3000));
                byte[] payload = bytes(encoder.encode(ByteBuffer.wrap(message), true));
                ByteArrayOutputStream decoded = new ByteArrayOutputStream();
                boolean fin = false;
                for (int offset = 0; !fin; offset += n) {
                    fin = offset + n > payload.length;
                    int length = Math.min(n, payload.length - offset);
                    ByteBuffer frame = ByteBuffer.wrap(payload, offset, length);
                    decoded.writeBytes(bytes(decoder.decode(frame, fin, Long.MAX_VALUE)));
                    endedEmpty += fin && length == 0 ? 1 : 0;
                }
                assertArrayEquals(message, decoded.toByteArray(), "message " + count);
            }
            encoder.close();
            decoder.close();
        }

        @Test
        void inflatesNothingForAMessageWhoseFramesCarryNoCompressedByte() {
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, false);
            assertEquals("Hello", text(decoder.decode(buffer("f2 48 cd c9 c9 07 00"), true, 100)));
            assertEquals(0, decoder.decode(buffer(""), false, 100).remaining());
            assertEquals(0, decoder.decode(buffer(""), true, 100).remaining());
            // the window still holds the first "Hello" (§7.2.3.2), and the inflater is on a block boundary
            assertEquals("Hello", text(decoder.decode(buffer("f2 00 11 00 00"), true, 100)));
            decoder.close();
        }

        private static byte[] randomBytes(Random random, int length) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return bytes;
        }
    }

    @Nested
    class DecompressionBombs {
        @Test
        void stopsAGibibyteOfZerosAtTheLimitWithoutAllocatingBeyondIt() {
            byte[] bomb = PerMessageDeflateFixtures.zeroBomb();
            assertTrue(bomb.length < 1_100_000, "bomb of " + bomb.length + " bytes");
            // once with a small limit, so that class loading and string concatenation bootstraps, which
            // allocate in this thread too, are done before counting
            PerMessageDeflateDecoder warmUp = new PerMessageDeflateDecoder(15, false);
            assertThrows(PayloadTooBigException.class, () -> warmUp.decode(ByteBuffer.wrap(bomb), true, 1000));
            warmUp.close();
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, false);
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().getId();
            long allocatedBefore = threads.getThreadAllocatedBytes(thread);
            long start = System.nanoTime();
            PayloadTooBigException e =
                    assertThrows(PayloadTooBigException.class, () -> decoder.decode(ByteBuffer.wrap(bomb), true, MIB));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
            assertEquals(MIB, e.limit());
            assertTrue(e.size() > MIB);
            // output arrays: at most the limit plus the one byte that proves it exceeded
            assertTrue(decoder.allocatedOutputBytes() <= MIB + 1, "output arrays " + decoder.allocatedOutputBytes());
            // everything the thread allocated, exception and stack trace included
            assertTrue(allocated < MIB + 64 * 1024, "allocated " + allocated);
            assertTrue(elapsedMillis < 1000, "took " + elapsedMillis + " ms");
            decoder.close();
        }

        @Test
        void countsTheLimitAcrossTheFramesOfAMessage() {
            byte[] bomb = PerMessageDeflateFixtures.zeroBomb();
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, false);
            int frame = 100;
            long budget = MIB;
            long decoded = 0;
            PayloadTooBigException e = null;
            for (int offset = 0; e == null; offset += frame) {
                ByteBuffer payload = ByteBuffer.wrap(bomb, offset, frame);
                try {
                    long count =
                            decoder.decode(payload, false, budget - decoded).remaining();
                    assertTrue(decoder.allocatedOutputBytes() <= 2 * (budget - decoded + 1));
                    decoded += count;
                } catch (PayloadTooBigException tooBig) {
                    e = tooBig;
                }
            }
            assertEquals(MIB, e.limit());
            assertTrue(decoded <= MIB);
            decoder.close();
        }

        @ParameterizedTest(name = "limit {0}")
        @ValueSource(longs = {0, 1, 63, 64, 65, 1000, 4095})
        void acceptsExactlyTheLimitAndNotOneByteMore(long limit) {
            byte[] message = new byte[(int) limit];
            Random random = new Random(limit);
            for (int i = 0; i < message.length; i++) {
                message[i] = (byte) ('a' + random.nextInt(3));
            }
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 15, true);
            byte[] payload = bytes(encoder.encode(ByteBuffer.wrap(message), true));
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, true);
            assertArrayEquals(message, bytes(decoder.decode(ByteBuffer.wrap(payload), true, limit)));
            if (limit > 0) {
                PayloadTooBigException e = assertThrows(
                        PayloadTooBigException.class, () -> decoder.decode(ByteBuffer.wrap(payload), true, limit - 1));
                assertEquals(limit, e.size());
                assertEquals(limit - 1, e.limit());
                assertFalse(e.isSizeKnown());
                assertEquals("message too big: more than " + (limit - 1) + " bytes", e.getMessage());
            }
            decoder.close();
        }

        @Test
        void reportsSizesFromTheStartOfTheMessage() {
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, false);
            assertEquals("He", text(decoder.decode(buffer("f2 48 cd"), false, 100)));
            // "llo" does not fit in the 2 bytes left
            PayloadTooBigException e =
                    assertThrows(PayloadTooBigException.class, () -> decoder.decode(buffer("c9 c9 07 00"), true, 2));
            assertEquals(4, e.limit());
            assertEquals(5, e.size());
            decoder.close();
        }

        @Test
        void treatsANegativeBudgetAsZero() {
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, false);
            assertThrows(PayloadTooBigException.class, () -> decoder.decode(buffer("f2 48 cd c9 c9 07 00"), true, -5));
            decoder.close();
        }
    }

    @Nested
    class CorruptData {
        // BTYPE 11 is reserved (RFC 1951 §3.2.3)
        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "reserved block type, 07, invalid block type",
            "stored length mismatch, 00 05 00 00 00 48 65, invalid stored block lengths",
            "distance before the start, f2 00 11 00 00, invalid distance too far back"
        })
        void failsWith1007(String name, String payloadHex, String reason) {
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, false);
            WebSocketProtocolException e = assertThrows(
                    WebSocketProtocolException.class, () -> decoder.decode(buffer(payloadHex), true, 1000));
            assertEquals(CloseCodes.INVALID_PAYLOAD, e.closeCode());
            assertEquals("invalid compressed data: " + reason, e.getMessage());
            decoder.close();
        }
    }

    @Nested
    class FinalBlocks {
        @Test
        void decodesWhatFollowsAFinalBlockInTheSameMessage() {
            // "He" in a final fixed block, then "llo" in a final stored block, then an empty one
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, false);
            ByteBuffer decoded = decoder.decode(buffer("f3 48 05 00 01 03 00 fc ff 6c 6c 6f 00"), true, 100);
            assertEquals("Hello", text(decoded));
            decoder.close();
        }

        @ParameterizedTest(name = "window {0}")
        @ValueSource(ints = {12, 15})
        void startsTheNextMessageWithAFreshStream(int bits) {
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(bits, false);
            assertEquals("Hello", text(decoder.decode(buffer("f3 48 cd c9 c9 07 00 00"), true, 100)));
            assertEquals(0, decoder.historyLength());
            // without the trailing 00 that a correct sender puts after a final block
            assertEquals("Hello", text(decoder.decode(buffer("f3 48 cd c9 c9 07 00"), true, 100)));
            assertEquals("Hello", text(decoder.decode(buffer("f2 48 cd c9 c9 07 00"), true, 100)));
            assertEquals(bits == 15 ? 0 : 5, decoder.historyLength());
            decoder.close();
        }
    }

    @Nested
    class Memory {
        @Test
        void keepsOneInflaterWithAFullWindowAndContextTakeover() {
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, false);
            assertFalse(decoder.holdsInflater());
            decoder.decode(buffer("f2 48 cd c9 c9 07 00"), true, 100);
            assertTrue(decoder.holdsInflater());
            assertEquals(0, decoder.historyLength());
            decoder.close();
            decoder.close();
            assertFalse(decoder.holdsInflater());
        }

        @Test
        void keepsOnlyTheLastWindowOfOutputWithABoundedWindowAndContextTakeover() {
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(9, false);
            assertEquals("Hello", text(decoder.decode(buffer("f2 48 cd c9 c9 07 00"), true, 100)));
            assertFalse(decoder.holdsInflater());
            assertEquals(5, decoder.historyLength());
            // §7.2.3.2: the second "Hello" refers to the first, through the primed dictionary
            assertEquals("Hello", text(decoder.decode(buffer("f2 00 11 00 00"), true, 100)));
            assertEquals(10, decoder.historyLength());
            decoder.decode(buffer("f2 48 cd"), false, 100);
            assertTrue(decoder.holdsInflater());
            decoder.close();
            assertEquals(0, decoder.historyLength());
        }

        @ParameterizedTest(name = "window {0}")
        @ValueSource(ints = {12, 15})
        void keepsNothingWithoutContextTakeover(int bits) {
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(bits, true);
            decoder.decode(buffer("f2 48 cd c9 c9 07 00"), true, 100);
            assertFalse(decoder.holdsInflater());
            assertEquals(0, decoder.historyLength());
            decoder.close();
        }

        @Test
        void returnsSmallOutputWithoutSlackAndLargeOutputInOneExactArray() {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 15, true);
            PerMessageDeflateDecoder decoder = new PerMessageDeflateDecoder(15, true);
            for (int length : new int[] {1, 5, 64, 100, 1000, 70_000, 300_000}) {
                byte[] message = PerMessageDeflateTest.sample(new Random(length), length);
                ByteBuffer payload = encoder.encode(ByteBuffer.wrap(message), true);
                ByteBuffer decoded = decoder.decode(payload, true, Long.MAX_VALUE);
                assertArrayEquals(message, bytes(decoded));
                assertTrue(decoded.capacity() <= length + length / 4, length + " in " + decoded.capacity());
            }
            encoder.close();
            decoder.close();
        }
    }
}
