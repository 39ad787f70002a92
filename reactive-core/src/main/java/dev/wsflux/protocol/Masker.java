package dev.wsflux.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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
 * <p>The work is done on {@code long} words: the key is rotated to the offset and repeated to 64 bits,
 * and since 8 is a multiple of 4 the same word masks every following group of 8 bytes. Only the
 * tail shorter than 8 bytes is masked byte by byte. Stateless and thread-safe; the buffers passed in
 * must of course not be changed concurrently.
 */
public final class Masker {
    /** Reads and writes big-endian longs in a {@code byte[]} at any index. */
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN)
            .withInvokeExactBehavior();

    private Masker() {}

    /**
     * Masks (or unmasks) bytes {@code [position, limit)} of {@code buf} in place. The position and limit
     * do not move.
     *
     * @param buf the bytes to transform, writable
     * @param key the 32-bit masking key, octet 0 in the most significant byte
     * @param offset the index of the key octet for the first byte; only {@code offset & 3} matters
     * @return the offset for the byte after the last one: {@code (offset + buf.remaining()) & 3}
     * @throws java.nio.ReadOnlyBufferException if {@code buf} is read-only and has bytes remaining
     */
    public static int mask(ByteBuffer buf, int key, int offset) {
        int from = buf.position();
        int to = buf.limit();
        maskRange(buf, from, to, key, offset);
        return (offset + to - from) & 3;
    }

    /**
     * Copies the remaining bytes of {@code src} into {@code dst} at its position, masking (or unmasking)
     * them on the way. Both positions advance by the number of bytes copied.
     *
     * @param src the bytes to copy; not changed apart from its position
     * @param dst where the transformed bytes go; needs {@code src.remaining()} bytes remaining
     * @param key the 32-bit masking key, octet 0 in the most significant byte
     * @param offset the index of the key octet for the first byte; only {@code offset & 3} matters
     * @return the offset for the byte after the last one: {@code (offset + n) & 3} for {@code n} bytes
     * @throws BufferOverflowException if {@code dst} has fewer bytes remaining than {@code src}; nothing
     *     is copied then
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     */
    public static int maskCopy(ByteBuffer src, ByteBuffer dst, int key, int offset) {
        int n = src.remaining();
        if (n > dst.remaining()) {
            throw new BufferOverflowException();
        }
        if (src.hasArray() && dst.hasArray()) {
            copyArray(
                    src.array(),
                    src.arrayOffset() + src.position(),
                    dst.array(),
                    dst.arrayOffset() + dst.position(),
                    n,
                    key,
                    offset);
            src.position(src.position() + n);
            dst.position(dst.position() + n);
        } else {
            // A direct buffer on either side: a bulk copy (a memcpy) followed by an in-place pass.
            int start = dst.position();
            dst.put(src);
            maskRange(dst, start, start + n, key, offset);
        }
        return (offset + n) & 3;
    }

    /** Masks the absolute range {@code [from, to)} of {@code buf} in place. */
    private static void maskRange(ByteBuffer buf, int from, int to, int key, int offset) {
        if (buf.hasArray()) {
            int base = buf.arrayOffset();
            maskArray(buf.array(), base + from, base + to, key, offset);
        } else {
            maskBuffer(buf, from, to, key, offset);
        }
    }

    /** The key rotated so that its first octet is key octet {@code offset & 3}, repeated to 64 bits. */
    private static long wordMask(int key, int offset) {
        long rotated = Integer.rotateLeft(key, (offset & 3) * Byte.SIZE) & 0xFFFF_FFFFL;
        return rotated << Integer.SIZE | rotated;
    }

    /** Key octet {@code (offset + i) & 3} as a byte. */
    private static byte keyByte(int key, int offset, int i) {
        return (byte) (key >>> ((3 - ((offset + i) & 3)) * Byte.SIZE));
    }

    private static void maskArray(byte[] array, int from, int to, int key, int offset) {
        long word = wordMask(key, offset);
        int i = from;
        for (int end = to - Long.BYTES; i <= end; i += Long.BYTES) {
            LONG_BE.set(array, i, (long) LONG_BE.get(array, i) ^ word);
        }
        for (; i < to; i++) {
            array[i] ^= keyByte(key, offset, i - from);
        }
    }

    private static void copyArray(byte[] src, int from, byte[] dst, int at, int n, int key, int offset) {
        long word = wordMask(key, offset);
        int i = 0;
        for (int end = n - Long.BYTES; i <= end; i += Long.BYTES) {
            LONG_BE.set(dst, at + i, (long) LONG_BE.get(src, from + i) ^ word);
        }
        for (; i < n; i++) {
            dst[at + i] = (byte) (src[from + i] ^ keyByte(key, offset, i));
        }
    }

    /** Masks with absolute gets and puts, which use the buffer's byte order: the word follows it. */
    private static void maskBuffer(ByteBuffer buf, int from, int to, int key, int offset) {
        long word = wordMask(key, offset);
        if (buf.order() == ByteOrder.LITTLE_ENDIAN) {
            word = Long.reverseBytes(word);
        }
        int i = from;
        for (int end = to - Long.BYTES; i <= end; i += Long.BYTES) {
            buf.putLong(i, buf.getLong(i) ^ word);
        }
        for (; i < to; i++) {
            buf.put(i, (byte) (buf.get(i) ^ keyByte(key, offset, i - from)));
        }
    }
}
