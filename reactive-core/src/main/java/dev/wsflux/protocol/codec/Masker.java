package dev.wsflux.protocol.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;

/**
 * XOR masking of frame payloads, eight bytes at a time
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.3">RFC 6455 §5.3</a>).
 *
 * <p>RFC 6455 §5.3: "Octet i of the transformed data ("transformed-octet-i") is the XOR of octet i of
 * the original data ("original-octet-i") with octet at index i modulo 4 of the masking key
 * ("masking-key-octet-j")". The key is an {@code int} whose most significant byte is octet 0, as it
 * appears on the wire. Masking and unmasking are the same operation.
 *
 * <p>A payload may be masked in pieces: each method takes the mask <em>offset</em> (the index modulo 4
 * of the key octet that applies to the first byte) and returns the offset for the byte after the last
 * one, so that consecutive calls continue where the previous one stopped.
 *
 * <p>The work is done on {@code long} words in the platform's native byte order, so that no word is
 * byte-swapped: the key is rotated to the offset, laid out in native order once per call and repeated
 * to 64 bits; since 8 is a multiple of 4 the same word masks every following group of 8 bytes. Only the
 * tail shorter than 8 bytes is masked byte by byte. A copy is one pass: each word is read from the
 * source, XORed and written to the destination. The backing array of a writable heap buffer is accessed
 * directly; any other buffer (direct, or read-only) through its absolute {@code getLong}/{@code putLong}
 * with its byte order set to the native order for the duration of the call and put back before the
 * method returns or throws, and each loop counts in a buffer's own indices from a start the JIT can see
 * is not negative. (On JDK 17, in JMH, a {@link MethodHandles#byteBufferViewVarHandle} view runs two
 * to five times slower on a direct buffer, and so does a loop whose counter the JIT cannot prove
 * non-negative.)
 *
 * <p>Stateless and thread-safe; the buffers passed in are not: they must not be used by another thread
 * during a call (their order changes for its duration, as their contents and positions do).
 */
public final class Masker {
    /** Reads and writes longs in a {@code byte[]} at any index, in the native byte order. */
    private static final VarHandle ARRAY_LONGS = MethodHandles.byteArrayViewVarHandle(
                    long[].class, ByteOrder.nativeOrder())
            .withInvokeExactBehavior();

    /** The order of the words; a constant, so the JIT folds the choice in {@link #wordMask}. */
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private Masker() {}

    /**
     * Masks (or unmasks) bytes {@code [position, limit)} of {@code buf} in place. The position, limit
     * and byte order do not change.
     *
     * @param buf the bytes to transform, writable
     * @param key the 32-bit masking key, octet 0 in the most significant byte
     * @param offset the index of the key octet for the first byte; only {@code offset & 3} matters
     * @return the offset for the byte after the last one: {@code (offset + buf.remaining()) & 3}
     * @throws ReadOnlyBufferException if {@code buf} is read-only and has bytes remaining
     */
    public static int mask(ByteBuffer buf, int key, int offset) {
        int from = buf.position();
        int to = buf.limit();
        if (buf.hasArray()) {
            int base = buf.arrayOffset();
            maskArray(buf.array(), base + from, base + to, key, offset);
        } else {
            ByteOrder order = buf.order();
            buf.order(NATIVE);
            try {
                maskBuffer(buf, from, to, key, offset);
            } finally {
                buf.order(order);
            }
        }
        return (offset + to - from) & 3;
    }

    /**
     * Copies the remaining bytes of {@code src} into {@code dst} at its position, masking (or unmasking)
     * them on the way. Both positions advance by the number of bytes copied; the byte orders do not
     * change.
     *
     * @param src the bytes to copy; not changed apart from its position
     * @param dst where the transformed bytes go; needs {@code src.remaining()} bytes remaining
     * @param key the 32-bit masking key, octet 0 in the most significant byte
     * @param offset the index of the key octet for the first byte; only {@code offset & 3} matters
     * @return the offset for the byte after the last one: {@code (offset + n) & 3} for {@code n} bytes
     * @throws BufferOverflowException if {@code dst} has fewer bytes remaining than {@code src}; nothing
     *     is copied then
     * @throws ReadOnlyBufferException if {@code dst} is read-only; nothing is copied then either
     */
    public static int maskCopy(ByteBuffer src, ByteBuffer dst, int key, int offset) {
        int n = src.remaining();
        if (n > dst.remaining()) {
            throw new BufferOverflowException();
        }
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int from = src.position();
        int at = dst.position();
        if (src.hasArray() && dst.hasArray()) {
            copyArrayToArray(
                    src.array(), src.arrayOffset() + from, dst.array(), dst.arrayOffset() + at, n, key, offset);
        } else {
            copyWithBuffers(src, from, dst, at, n, key, offset);
        }
        src.position(from + n);
        dst.position(at + n);
        return (offset + n) & 3;
    }

    /** At least one side is not a writable heap buffer: one of three loops, each with one access kind per side. */
    private static void copyWithBuffers(ByteBuffer src, int from, ByteBuffer dst, int at, int n, int key, int offset) {
        // Saved before either changes, and put back in reverse order, in case src and dst are one buffer.
        ByteOrder srcOrder = src.order();
        ByteOrder dstOrder = dst.order();
        src.order(NATIVE);
        dst.order(NATIVE);
        try {
            if (src.hasArray()) {
                copyArrayToBuffer(src.array(), src.arrayOffset() + from, dst, at, n, key, offset);
            } else if (dst.hasArray()) {
                copyBufferToArray(src, from, dst.array(), dst.arrayOffset() + at, n, key, offset);
            } else {
                copyBufferToBuffer(src, from, dst, at, n, key, offset);
            }
        } finally {
            dst.order(dstOrder);
            src.order(srcOrder);
        }
    }

    /** {@link #wordMask(int, int, ByteOrder)} for the native-order words of the loops below. */
    private static long wordMask(int key, int offset) {
        return wordMask(key, offset, NATIVE);
    }

    /**
     * The key rotated so that its first octet is key octet {@code offset & 3}, repeated to 64 bits and
     * laid out for {@code order}: storing the word in that order writes key octets {@code offset & 3},
     * {@code (offset + 1) & 3}, … at increasing addresses. Package-private so that tests can check the
     * byte order this machine does not have.
     */
    static long wordMask(int key, int offset, ByteOrder order) {
        int rotated = Integer.rotateLeft(key, (offset & 3) * Byte.SIZE);
        long half = (order == ByteOrder.LITTLE_ENDIAN ? Integer.reverseBytes(rotated) : rotated) & 0xFFFF_FFFFL;
        return half << Integer.SIZE | half;
    }

    /** Key octet {@code (offset + i) & 3} as a byte. */
    private static byte keyByte(int key, int offset, int i) {
        return (byte) (key >>> ((3 - ((offset + i) & 3)) * Byte.SIZE));
    }

    private static void maskArray(byte[] array, int from, int to, int key, int offset) {
        long word = wordMask(key, offset);
        int i = from;
        for (int end = to - Long.BYTES; i <= end; i += Long.BYTES) {
            ARRAY_LONGS.set(array, i, (long) ARRAY_LONGS.get(array, i) ^ word);
        }
        for (; i < to; i++) {
            array[i] ^= keyByte(key, offset, i - from);
        }
    }

    /**
     * Returns {@code index}, an index into a buffer and so never negative, in a form that shows the JIT
     * it is not negative: a loop whose counter starts there then gets the buffer's index checks hoisted
     * out and is unrolled (JDK 17: about four times faster on a direct buffer in place).
     */
    private static int loopStart(int index) {
        return index & Integer.MAX_VALUE;
    }

    /** Masks with absolute indices; {@code buf} is in native order here. */
    private static void maskBuffer(ByteBuffer buf, int from, int to, int key, int offset) {
        long word = wordMask(key, offset);
        int i = loopStart(from);
        for (int end = to - Long.BYTES; i <= end; i += Long.BYTES) {
            buf.putLong(i, buf.getLong(i) ^ word);
        }
        for (; i < to; i++) {
            buf.put(i, (byte) (buf.get(i) ^ keyByte(key, offset, i - from)));
        }
    }

    private static void copyArrayToArray(byte[] src, int from, byte[] dst, int at, int n, int key, int offset) {
        long word = wordMask(key, offset);
        int i = 0;
        for (int end = n - Long.BYTES; i <= end; i += Long.BYTES) {
            ARRAY_LONGS.set(dst, at + i, (long) ARRAY_LONGS.get(src, from + i) ^ word);
        }
        for (; i < n; i++) {
            dst[at + i] = (byte) (src[from + i] ^ keyByte(key, offset, i));
        }
    }

    /** {@code dst} is in native order here; the loop counts in its indices. */
    private static void copyArrayToBuffer(byte[] src, int from, ByteBuffer dst, int at, int n, int key, int offset) {
        long word = wordMask(key, offset);
        int toSrc = from - at;
        int to = at + n;
        int i = loopStart(at);
        for (int end = to - Long.BYTES; i <= end; i += Long.BYTES) {
            dst.putLong(i, (long) ARRAY_LONGS.get(src, i + toSrc) ^ word);
        }
        for (; i < to; i++) {
            dst.put(i, (byte) (src[i + toSrc] ^ keyByte(key, offset, i - at)));
        }
    }

    /**
     * The parser's case: a direct socket read unmasked into a heap payload, as a bulk copy (a memcpy) then
     * an in-place pass over the array. A fused loop reading the direct buffer word by word is as fast in
     * JMH, but inside the echo server its {@code getLong} is not inlined, and {@code
     * ScopedMemoryAccess.getLongUnalignedInternal} and {@code convEndian} then take 65 % of a 1 MiB echo's
     * CPU samples; the bulk copy and the array pass are intrinsics the JIT always handles well.
     */
    private static void copyBufferToArray(ByteBuffer src, int from, byte[] dst, int at, int n, int key, int offset) {
        src.get(from, dst, at, n);
        maskArray(dst, at, at + n, key, offset);
    }

    /** Both buffers are in native order here; the loop counts in the source's indices. */
    private static void copyBufferToBuffer(
            ByteBuffer src, int from, ByteBuffer dst, int at, int n, int key, int offset) {
        long word = wordMask(key, offset);
        int toDst = at - from;
        int to = from + n;
        int i = loopStart(from);
        for (int end = to - Long.BYTES; i <= end; i += Long.BYTES) {
            dst.putLong(i + toDst, src.getLong(i) ^ word);
        }
        for (; i < to; i++) {
            dst.put(i + toDst, (byte) (src.get(i) ^ keyByte(key, offset, i - from)));
        }
    }
}
