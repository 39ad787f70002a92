package dev.wsflux.protocol.extensions.permessagedeflate;

import static dev.wsflux.protocol.testing.PerMessageDeflateFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.testing.PerMessageDeflateDistances;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PerMessageDeflateEncoderTest {
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Inflates a whole stream with a fresh JDK inflater, independent of PerMessageDeflateDecoder. */
    private static byte[] inflate(byte[] stream) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(stream);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int count;
            while ((count = inflater.inflate(buffer)) > 0) {
                output.write(buffer, 0, count);
            }
            assertEquals(0, inflater.getRemaining(), "unused input");
            return output.toByteArray();
        } finally {
            inflater.end();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Nested
    class Flushing {
        // RFC 7692 §7.2.1: compress, flush with an empty stored block, remove 00 00 ff ff.
        @Test
        void removesTheTailFromTheLastFrameOnly() {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 15, false);
            ByteBuffer first = encoder.encode(utf8("He"), false);
            ByteBuffer last = encoder.encode(utf8("llo"), true);
            assertTrue(hex(first).endsWith("00 00 ff ff"), hex(first));
            assertFalse(hex(last).endsWith("00 00 ff ff"), hex(last));
            encoder.close();
        }

        @Test
        void keepsThePayloadPositionOfTheInput() {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 12, false);
            ByteBuffer input = utf8("Hello");
            encoder.encode(input, true);
            assertEquals(0, input.position());
            encoder.close();
        }

        // RFC 7692 §7.2.3.6: an empty message, and an empty last frame after a flushed one, are 00.
        @Test
        void sendsOneZeroByteForAnEmptyMessageAndAnEmptyLastFrame() throws Exception {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 15, false);
            assertEquals("00", hex(encoder.encode(ByteBuffer.allocate(0), true)));
            assertEquals("00", hex(encoder.encode(ByteBuffer.allocate(0), true)));
            ByteBuffer first = encoder.encode(utf8("Hello"), false);
            ByteBuffer last = encoder.encode(ByteBuffer.allocate(0), true);
            assertEquals("00", hex(last));
            byte[] stream = concat(List.of(bytes(first), bytes(last), TAIL));
            assertEquals("Hello", new String(inflate(stream), StandardCharsets.UTF_8));
            encoder.close();
        }

        @Test
        void growsItsOutputForIncompressibleInput() throws Exception {
            byte[] random = new byte[200_000];
            new Random(1).nextBytes(random);
            for (int bits : new int[] {15, 9}) {
                PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(9, bits, false);
                byte[] payload = bytes(encoder.encode(ByteBuffer.wrap(random), true));
                assertArrayEquals(random, inflate(concat(List.of(payload, TAIL))), "window " + bits);
                encoder.close();
            }
        }

        @Test
        void returnsOutputWithoutMuchSlack() {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 15, false);
            for (int length : new int[] {10, 1000, 100_000}) {
                ByteBuffer payload = encoder.encode(ByteBuffer.wrap(new byte[length]), true);
                assertTrue(
                        payload.capacity() <= payload.remaining() + payload.remaining() / 4,
                        payload.remaining() + " bytes in " + payload.capacity());
            }
            encoder.close();
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 6, 9})
        void compressesAtEveryLevel(int level) throws Exception {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(level, 15, false);
            byte[] message = PerMessageDeflateTest.sample(new Random(level), 5000);
            byte[] payload = bytes(encoder.encode(ByteBuffer.wrap(message), true));
            assertArrayEquals(message, inflate(concat(List.of(payload, TAIL))));
            assertEquals(level == 0, payload.length > message.length);
            encoder.close();
        }
    }

    @Nested
    class Windows {
        /**
         * Compresses a conversation in frames and checks the stream with an independent DEFLATE reader:
         * no back-reference is further than the window, and a fresh JDK inflater decodes it.
         */
        @ParameterizedTest(name = "window {0}, no context takeover {1}, level {2}")
        @CsvSource({
            "8, false, 6",
            "8, true, 6",
            "9, false, 6",
            "9, true, 1",
            "10, false, 9",
            "11, false, 6",
            "12, false, 6",
            "12, true, 6",
            "13, false, 1",
            "14, false, 6",
            "15, false, 6",
            "15, true, 9"
        })
        void neverRefersFurtherBackThanTheWindow(int bits, boolean noContextTakeover, int level) throws Exception {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(level, bits, noContextTakeover);
            Random random = new Random(bits * 31 + level);
            List<byte[]> messages = new ArrayList<>();
            List<byte[]> streams = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int length = new int[] {0, 20, 200, 255, 256, 257, 1000, 4096, 9000, 40_000}[random.nextInt(10)];
                byte[] message = PerMessageDeflateTest.sample(random, length);
                messages.add(message);
                List<byte[]> parts = new ArrayList<>();
                int cuts = random.nextInt(3);
                int start = 0;
                for (int cut = 1; cut <= cuts; cut++) {
                    int end = message.length * cut / (cuts + 1);
                    parts.add(bytes(encoder.encode(ByteBuffer.wrap(message, start, end - start), false)));
                    start = end;
                }
                parts.add(bytes(encoder.encode(ByteBuffer.wrap(message, start, message.length - start), true)));
                parts.add(TAIL);
                streams.add(concat(parts));
            }
            encoder.close();
            if (noContextTakeover) {
                for (int i = 0; i < messages.size(); i++) {
                    assertWithinWindow(bits, streams.get(i));
                    assertArrayEquals(messages.get(i), inflate(streams.get(i)), "message " + i);
                }
            } else {
                byte[] stream = concat(streams);
                assertWithinWindow(bits, stream);
                assertArrayEquals(concat(messages), inflate(stream));
            }
        }

        @Test
        void usesTheWholeWindowOfFifteenBitsWhichTheDistanceCheckSees() throws Exception {
            byte[] block = PerMessageDeflateTest.sample(new Random(5), 20_000);
            byte[] message = concat(List.of(block, block));
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 15, false);
            byte[] stream = concat(List.of(bytes(encoder.encode(ByteBuffer.wrap(message), true)), TAIL));
            encoder.close();
            assertEquals(20_000, PerMessageDeflateDistances.maxDistance(stream));
            assertArrayEquals(message, inflate(stream));
        }

        private void assertWithinWindow(int bits, byte[] stream) {
            int distance = PerMessageDeflateDistances.maxDistance(stream);
            assertTrue(distance <= 1 << bits, "distance " + distance + " exceeds window " + (1 << bits));
        }

        @Test
        void refersToEarlierMessagesThroughTheHistoryWithABoundedWindow() {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 12, false);
            byte[] message = PerMessageDeflateTest.sample(new Random(3), 1000);
            int first = encoder.encode(ByteBuffer.wrap(message), true).remaining();
            int second = encoder.encode(ByteBuffer.wrap(message), true).remaining();
            assertTrue(second < first / 10, first + " then " + second);
            encoder.close();
        }

        @Test
        void startsEveryMessageAfreshWithoutContextTakeover() {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 12, true);
            byte[] message = PerMessageDeflateTest.sample(new Random(3), 1000);
            ByteBuffer first = encoder.encode(ByteBuffer.wrap(message), true);
            ByteBuffer second = encoder.encode(ByteBuffer.wrap(message), true);
            assertEquals(first, second);
            encoder.close();
        }
    }

    @Nested
    class Memory {
        @Test
        void keepsOneDeflaterWithAFullWindowAndContextTakeover() {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 15, false);
            assertFalse(encoder.holdsDeflater());
            encoder.encode(utf8("Hello"), true);
            assertTrue(encoder.holdsDeflater());
            assertEquals(0, encoder.historyLength());
            encoder.close();
            assertFalse(encoder.holdsDeflater());
        }

        @Test
        void keepsOnlyTheHistoryWithABoundedWindowAndContextTakeover() {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, 12, false);
            encoder.encode(ByteBuffer.wrap(new byte[10_000]), true);
            assertFalse(encoder.holdsDeflater());
            assertEquals(4096, encoder.historyLength());
            encoder.encode(utf8("He"), false);
            assertTrue(encoder.holdsDeflater());
            encoder.close();
            encoder.close();
            assertFalse(encoder.holdsDeflater());
            assertEquals(0, encoder.historyLength());
        }

        @ParameterizedTest
        @ValueSource(ints = {12, 15})
        void keepsNothingWithoutContextTakeover(int bits) {
            PerMessageDeflateEncoder encoder = new PerMessageDeflateEncoder(6, bits, true);
            encoder.encode(ByteBuffer.wrap(new byte[10_000]), true);
            assertFalse(encoder.holdsDeflater());
            assertEquals(0, encoder.historyLength());
            encoder.close();
        }
    }

    static byte[] concat(List<byte[]> parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return Arrays.copyOf(all, offset);
    }
}
