package dev.wsflux.protocol.extensions.permessagedeflate;

import java.nio.ByteBuffer;

/**
 * The last bytes of a compression context: the uncompressed data of the latest compressed messages,
 * at most one LZ77 window of it, kept on the heap so that a fresh zlib stream can be primed with it
 * ({@code setDictionary}) instead of keeping a zlib stream alive between messages. Not thread-safe.
 *
 * <p>The bytes are kept in order at the start of one array, so that the most recent {@code n} bytes
 * are always one contiguous range, as {@code setDictionary} needs. Appending shifts the array; with
 * windows of at most 32 KiB that copy is cheaper than the compression that goes with it.
 */
final class PerMessageDeflateHistory {
    private final int capacity;
    private byte[] bytes;
    private int length;

    /** A history of at most {@code capacity} bytes; the array is allocated on the first append. */
    PerMessageDeflateHistory(int capacity) {
        this.capacity = capacity;
    }

    /** Appends the remaining bytes of {@code data} without moving its position. */
    void append(ByteBuffer data) {
        int count = data.remaining();
        if (count == 0) {
            return;
        }
        if (bytes == null) {
            bytes = new byte[capacity];
        }
        if (count >= capacity) {
            data.get(data.limit() - capacity, bytes, 0, capacity);
            length = capacity;
            return;
        }
        int keep = Math.min(length, capacity - count);
        System.arraycopy(bytes, length - keep, bytes, 0, keep);
        data.get(data.position(), bytes, keep, count);
        length = keep + count;
    }

    /** The number of bytes held, at most the capacity. */
    int length() {
        return length;
    }

    /** The array holding the bytes in its first {@link #length()} positions; only valid when not empty. */
    byte[] array() {
        return bytes;
    }

    /** Forgets every byte and frees the array. */
    void clear() {
        bytes = null;
        length = 0;
    }
}
