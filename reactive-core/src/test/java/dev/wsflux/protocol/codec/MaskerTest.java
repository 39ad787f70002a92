package dev.wsflux.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsflux.protocol.testing.Hex;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
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

    /**
     * The kinds of buffers the masker must treat alike: heap buffers (a backing array, possibly at an
     * offset), direct buffers (possibly a slice at an address that is not 8-byte aligned), either byte
     * order, and read-only ones (sources only).
     */
    private enum Kind {
        HEAP,
        HEAP_WITH_ARRAY_OFFSET,
        HEAP_LITTLE_ENDIAN,
        DIRECT,
        DIRECT_SLICE,
        DIRECT_LITTLE_ENDIAN,
        HEAP_READ_ONLY_WITH_ARRAY_OFFSET,
        DIRECT_READ_ONLY;

        /** The kinds a masker may write to. */
        static final List<Kind> WRITABLE =
                Arrays.stream(values()).filter(Kind::writable).toList();

        boolean writable() {
            return this != HEAP_READ_ONLY_WITH_ARRAY_OFFSET && this != DIRECT_READ_ONLY;
        }

        /** A buffer of this kind holding exactly {@code fill}, cleared. */
        ByteBuffer allocate(byte[] fill) {
            ByteBuffer buffer =
                    switch (this) {
                        case HEAP, HEAP_LITTLE_ENDIAN -> ByteBuffer.allocate(fill.length);
                        case HEAP_WITH_ARRAY_OFFSET, HEAP_READ_ONLY_WITH_ARRAY_OFFSET ->
                            ByteBuffer.allocate(fill.length + 5).position(5).slice();
                        case DIRECT, DIRECT_LITTLE_ENDIAN, DIRECT_READ_ONLY -> ByteBuffer.allocateDirect(fill.length);
                        case DIRECT_SLICE ->
                            ByteBuffer.allocateDirect(fill.length + 3)
                                    .position(3)
                                    .slice();
                    };
            buffer.put(fill).clear();
            if (this == HEAP_LITTLE_ENDIAN || this == DIRECT_LITTLE_ENDIAN) {
                buffer.order(ByteOrder.LITTLE_ENDIAN);
            }
            return writable() ? buffer : buffer.asReadOnlyBuffer();
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
            for (Kind kind : Kind.WRITABLE) {
                for (int length = 0; length <= 100; length++) {
                    for (int position = 0; position < 9; position++) {
                        for (int offset = 0; offset < 8; offset++) {
                            int key = random.nextInt();
                            byte[] before = randomBytes(random, position + length + 3);
                            ByteBuffer buffer = kind.allocate(before);
                            buffer.position(position).limit(position + length);
                            ByteOrder order = buffer.order();

                            int next = Masker.mask(buffer, key, offset);

                            String where = kind + " length " + length + " position " + position + " offset " + offset;
                            assertEquals((offset + length) & 3, next, where);
                            assertEquals(position, buffer.position(), where);
                            assertEquals(position + length, buffer.limit(), where);
                            assertEquals(order, buffer.order(), where);
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
        void refusesAReadOnlyBufferWithoutChangingItsOrder() {
            for (Kind kind : List.of(Kind.HEAP_READ_ONLY_WITH_ARRAY_OFFSET, Kind.DIRECT_READ_ONLY)) {
                for (int length : new int[] {3, 10}) { // the tail alone, a word and a tail
                    ByteBuffer readOnly = kind.allocate(new byte[length]);
                    assertThrows(
                            ReadOnlyBufferException.class, () -> Masker.mask(readOnly, KEY, 0), kind + " " + length);
                    assertEquals(ByteOrder.BIG_ENDIAN, readOnly.order(), kind + " " + length);
                }
            }
        }

        @Test
        void masksALargeDirectBufferLikeAHeapBuffer() {
            byte[] data = randomBytes(new Random(5), 70_001);
            ByteBuffer direct = Kind.DIRECT_SLICE.allocate(data);
            direct.position(3);
            assertEquals((2 + 70_001 - 3) & 3, Masker.mask(direct, KEY, 2));
            byte[] expected = data.clone();
            System.arraycopy(
                    referenceMask(Arrays.copyOfRange(data, 3, data.length), KEY, 2), 0, expected, 3, 70_001 - 3);
            assertArrayEquals(expected, contents(direct));
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

        /** Lengths 0 to 40 (no word, one word, several words, each with every tail) and a few large ones. */
        private static final int[] LENGTHS = IntStream.concat(
                        IntStream.rangeClosed(0, 40), IntStream.of(64, 1000, 4099, 70_001))
                .toArray();

        /** Start positions in the source and the destination, so that words start unaligned too. */
        private static final int[][] POSITIONS = {{0, 0}, {1, 0}, {0, 3}, {3, 5}, {7, 1}};

        @Test
        void matchesTheByteLoopForEveryPairOfBufferKindsOffsetLengthAndStart() {
            Random random = new Random(4);
            byte[] pool = randomBytes(random, 80_000);
            for (Kind srcKind : Kind.values()) {
                for (Kind dstKind : Kind.WRITABLE) {
                    for (int length : LENGTHS) {
                        int[][] positions = length > 1000 ? new int[][] {{3, 5}} : POSITIONS;
                        for (int[] position : positions) {
                            for (int offset = 0; offset < 4; offset++) {
                                String where = srcKind + " to " + dstKind + " length " + length + " positions "
                                        + position[0] + "/" + position[1] + " offset " + offset;
                                int start = random.nextInt(pool.length - length - 16);
                                byte[] srcBytes = Arrays.copyOfRange(pool, start, start + position[0] + length + 2);
                                byte[] dstBytes = randomBytes(random, position[1] + length + 5);
                                assertCopyMatchesReference(
                                        srcKind,
                                        srcBytes,
                                        position[0],
                                        length,
                                        dstKind,
                                        dstBytes,
                                        position[1],
                                        random.nextInt(),
                                        offset,
                                        where);
                            }
                        }
                    }
                }
            }
        }

        private void assertCopyMatchesReference(
                Kind srcKind,
                byte[] srcBytes,
                int srcPosition,
                int length,
                Kind dstKind,
                byte[] dstBytes,
                int dstPosition,
                int key,
                int offset,
                String where) {
            ByteBuffer src = srcKind.allocate(srcBytes);
            src.position(srcPosition).limit(srcPosition + length);
            ByteBuffer dst = dstKind.allocate(dstBytes);
            dst.position(dstPosition);
            ByteOrder srcOrder = src.order();
            ByteOrder dstOrder = dst.order();

            int next = Masker.maskCopy(src, dst, key, offset);

            assertEquals((offset + length) & 3, next, where);
            assertEquals(srcPosition + length, src.position(), where);
            assertEquals(srcPosition + length, src.limit(), where);
            assertEquals(dstPosition + length, dst.position(), where);
            assertEquals(dstBytes.length, dst.limit(), where);
            assertEquals(srcOrder, src.order(), where + ": source order changed");
            assertEquals(dstOrder, dst.order(), where + ": destination order changed");
            assertArrayEquals(srcBytes, contents(src), where + ": source changed");
            byte[] expected = dstBytes.clone();
            byte[] masked = referenceMask(Arrays.copyOfRange(srcBytes, srcPosition, srcPosition + length), key, offset);
            System.arraycopy(masked, 0, expected, dstPosition, length);
            assertArrayEquals(expected, contents(dst), where);
        }

        @Test
        void copyingInPiecesWithTheReturnedOffsetEqualsCopyingAtOnce() {
            byte[] data = randomBytes(new Random(6), 1000);
            byte[] expected = referenceMask(data, KEY, 1);
            for (int piece : new int[] {1, 3, 7, 8, 9, 64, 333}) {
                ByteBuffer src = Kind.DIRECT_SLICE.allocate(data);
                ByteBuffer dst = ByteBuffer.allocate(data.length);
                int offset = 1;
                for (int from = 0; from < data.length; from += piece) {
                    src.limit(Math.min(from + piece, data.length));
                    offset = Masker.maskCopy(src, dst, KEY, offset);
                }
                assertArrayEquals(expected, dst.array(), "pieces of " + piece);
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
        void refusesAReadOnlyDestinationWithoutTouchingEither() {
            for (Kind dstKind : List.of(Kind.HEAP_READ_ONLY_WITH_ARRAY_OFFSET, Kind.DIRECT_READ_ONLY)) {
                for (int length : new int[] {0, 5, 20}) {
                    ByteBuffer src = Kind.DIRECT.allocate(new byte[length]);
                    ByteBuffer dst = dstKind.allocate(new byte[length]);
                    assertThrows(
                            ReadOnlyBufferException.class,
                            () -> Masker.maskCopy(src, dst, KEY, 0),
                            dstKind + " " + length);
                    assertEquals(0, src.position());
                    assertEquals(0, dst.position());
                    assertEquals(ByteOrder.BIG_ENDIAN, src.order());
                    assertEquals(ByteOrder.BIG_ENDIAN, dst.order());
                }
            }
        }
    }

    @Nested
    class MaskWord { // §5.3, eight bytes at a time

        @Test
        void laysTheRotatedKeyOutForEitherByteOrder() {
            for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
                for (int offset = 0; offset < 8; offset++) {
                    byte[] stored = new byte[Long.BYTES];
                    ByteBuffer.wrap(stored).order(order).putLong(Masker.wordMask(KEY, offset, order));
                    // The word is the mask for eight zero bytes starting at key octet offset & 3.
                    assertArrayEquals(referenceMask(new byte[Long.BYTES], KEY, offset), stored, order + " " + offset);
                }
            }
        }
    }
}
