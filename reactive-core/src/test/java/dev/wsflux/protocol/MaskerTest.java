package dev.wsflux.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsflux.protocol.testing.Hex;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MaskerTest {
    private static final int KEY = 0x37fa213d; // the key of RFC 6455 §5.7

    /** The definition of §5.3, one byte at a time: the reference the word-at-a-time code must match. */
    private static byte[] referenceMask(byte[] data, int key, int offset) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            int j = (offset + i) % 4;
            out[i] = (byte) (data[i] ^ (key >>> (24 - 8 * j)));
        }
        return out;
    }

    /** The kinds of buffers the masker must treat alike. */
    private enum Kind {
        HEAP,
        HEAP_WITH_ARRAY_OFFSET,
        DIRECT,
        HEAP_LITTLE_ENDIAN,
        DIRECT_LITTLE_ENDIAN;

        /** A buffer of this kind holding exactly {@code fill}, cleared. */
        ByteBuffer allocate(byte[] fill) {
            ByteBuffer buffer =
                    switch (this) {
                        case HEAP, HEAP_LITTLE_ENDIAN -> ByteBuffer.allocate(fill.length);
                        case HEAP_WITH_ARRAY_OFFSET ->
                            ByteBuffer.allocate(fill.length + 5).position(5).slice();
                        case DIRECT, DIRECT_LITTLE_ENDIAN -> ByteBuffer.allocateDirect(fill.length);
                    };
            if (this == HEAP_LITTLE_ENDIAN || this == DIRECT_LITTLE_ENDIAN) {
                buffer.order(ByteOrder.LITTLE_ENDIAN);
            }
            return buffer.put(fill).clear();
        }
    }

    private static byte[] contents(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.capacity()];
        buffer.duplicate().clear().get(bytes);
        return bytes;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @Nested
    class Rfc6455Examples { // §5.7

        @Test
        void masksHelloWithTheRfcKey() {
            ByteBuffer hello = Hex.buffer("48 65 6c 6c 6f"); // "Hello"
            assertEquals(1, Masker.mask(hello, KEY, 0));
            assertEquals("7f 9f 4d 51 58", Hex.encode(hello));
        }

        @Test
        void unmasksHelloWithTheRfcKey() {
            ByteBuffer masked = Hex.buffer("7f 9f 4d 51 58");
            Masker.mask(masked, KEY, 0);
            assertEquals("48 65 6c 6c 6f", Hex.encode(masked));
        }
    }

    @Nested
    class InPlace { // §5.3

        @Test
        void matchesTheByteLoopForEveryLengthOffsetPositionAndBufferKind() {
            Random random = new Random(0);
            for (Kind kind : Kind.values()) {
                for (int length = 0; length <= 100; length++) {
                    for (int position = 0; position < 9; position++) {
                        for (int offset = 0; offset < 8; offset++) {
                            int key = random.nextInt();
                            byte[] before = randomBytes(random, position + length + 3);
                            ByteBuffer buffer = kind.allocate(before);
                            buffer.position(position).limit(position + length);

                            int next = Masker.mask(buffer, key, offset);

                            String where = kind + " length " + length + " position " + position + " offset " + offset;
                            assertEquals((offset + length) & 3, next, where);
                            assertEquals(position, buffer.position(), where);
                            assertEquals(position + length, buffer.limit(), where);
                            byte[] expected = before.clone();
                            byte[] masked =
                                    referenceMask(Arrays.copyOfRange(before, position, position + length), key, offset);
                            System.arraycopy(masked, 0, expected, position, length);
                            assertArrayEquals(expected, contents(buffer), where);
                        }
                    }
                }
            }
        }

        @Test
        void maskingTwiceRestoresTheData() {
            byte[] data = randomBytes(new Random(1), 77);
            ByteBuffer buffer = ByteBuffer.wrap(data.clone());
            Masker.mask(buffer, KEY, 3);
            Masker.mask(buffer, KEY, 3);
            assertArrayEquals(data, buffer.array());
        }

        @Test
        void maskingInPiecesWithTheReturnedOffsetEqualsMaskingAtOnce() {
            byte[] data = randomBytes(new Random(2), 100);
            byte[] expected = referenceMask(data, KEY, 0);
            for (int piece = 1; piece <= 13; piece++) {
                ByteBuffer buffer = ByteBuffer.wrap(data.clone());
                int offset = 0;
                for (int from = 0; from < data.length; from += piece) {
                    buffer.limit(Math.min(from + piece, data.length)).position(from);
                    offset = Masker.mask(buffer, KEY, offset);
                }
                assertArrayEquals(expected, buffer.array(), "pieces of " + piece);
            }
        }

        @Test
        void onlyTheLowTwoBitsOfTheOffsetCount() {
            byte[] data = randomBytes(new Random(3), 20);
            ByteBuffer viaLargeOffset = ByteBuffer.wrap(data.clone());
            ByteBuffer viaNegativeOffset = ByteBuffer.wrap(data.clone());
            assertEquals(2, Masker.mask(viaLargeOffset, KEY, 4 * 1000 + 2));
            assertEquals(1, Masker.mask(viaNegativeOffset, KEY, -3)); // -3 & 3 == 1
            assertArrayEquals(referenceMask(data, KEY, 2), viaLargeOffset.array());
            assertArrayEquals(referenceMask(data, KEY, 1), viaNegativeOffset.array());
        }

        @Test
        void refusesAReadOnlyBuffer() {
            ByteBuffer readOnly = ByteBuffer.wrap(new byte[10]).asReadOnlyBuffer();
            assertThrows(ReadOnlyBufferException.class, () -> Masker.mask(readOnly, KEY, 0));
        }

        @Test
        void leavesAnEmptyRangeAlone() {
            ByteBuffer empty = ByteBuffer.allocate(4).position(4);
            assertEquals(3, Masker.mask(empty, KEY, 3));
            assertArrayEquals(new byte[4], empty.array());
        }
    }

    @Nested
    class WhileCopying { // §5.3, masking a payload into an output buffer

        @Test
        void matchesTheByteLoopForEveryLengthOffsetPositionAndBufferKinds() {
            Random random = new Random(4);
            for (Kind srcKind : Kind.values()) {
                for (Kind dstKind : Kind.values()) {
                    for (int length = 0; length <= 100; length++) {
                        int srcPosition = random.nextInt(9);
                        int dstPosition = random.nextInt(9);
                        int offset = random.nextInt(4);
                        int key = random.nextInt();
                        byte[] srcBytes = randomBytes(random, srcPosition + length + 2);
                        byte[] dstBytes = randomBytes(random, dstPosition + length + 5);
                        ByteBuffer src = srcKind.allocate(srcBytes);
                        src.position(srcPosition).limit(srcPosition + length);
                        ByteBuffer dst = dstKind.allocate(dstBytes);
                        dst.position(dstPosition);

                        int next = Masker.maskCopy(src, dst, key, offset);

                        String where = srcKind + " to " + dstKind + " length " + length + " offset " + offset;
                        assertEquals((offset + length) & 3, next, where);
                        assertEquals(srcPosition + length, src.position(), where);
                        assertEquals(dstPosition + length, dst.position(), where);
                        assertArrayEquals(srcBytes, contents(src), where + ": source changed");
                        byte[] expected = dstBytes.clone();
                        byte[] masked = referenceMask(
                                Arrays.copyOfRange(srcBytes, srcPosition, srcPosition + length), key, offset);
                        System.arraycopy(masked, 0, expected, dstPosition, length);
                        assertArrayEquals(expected, contents(dst), where);
                    }
                }
            }
        }

        @Test
        void copiesFromAReadOnlySource() {
            ByteBuffer src = Hex.buffer("48 65 6c 6c 6f").asReadOnlyBuffer();
            ByteBuffer dst = ByteBuffer.allocate(5);
            Masker.maskCopy(src, dst, KEY, 0);
            assertEquals("7f 9f 4d 51 58", Hex.encode(dst.flip()));
        }

        @Test
        void refusesADestinationThatIsTooSmallWithoutTouchingEither() {
            ByteBuffer src = Hex.buffer("48 65 6c 6c 6f");
            ByteBuffer dst = ByteBuffer.allocate(4);
            assertThrows(BufferOverflowException.class, () -> Masker.maskCopy(src, dst, KEY, 0));
            assertEquals(0, src.position());
            assertEquals(0, dst.position());
            assertArrayEquals(new byte[4], dst.array());
        }

        @Test
        void refusesAReadOnlyDestination() {
            ByteBuffer src = Hex.buffer("48 65 6c 6c 6f");
            ByteBuffer dst = ByteBuffer.allocate(5).asReadOnlyBuffer();
            assertThrows(ReadOnlyBufferException.class, () -> Masker.maskCopy(src, dst, KEY, 0));
        }
    }
}
