package dev.wsflux.conformance;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A small DEFLATE compressor whose LZ77 window can be limited to 2^N bytes, for the agreed {@code
 * *_max_window_bits} below 15, which {@code java.util.zip.Deflater} cannot honour. Greedy LZ77 matching on a
 * hash chain, encoded with the fixed Huffman codes of RFC 1951 §3.2.6, ended with a sync flush (an empty
 * stored block) whose {@code 00 00 ff ff} is stripped as RFC 7692 §7.2.1 says. With context takeover the last
 * 2^N bytes of earlier messages stay referable, so the testee's decompressor must keep exactly the history the
 * window allows. Not thread-safe: one per connection direction.
 *
 * <p>See <a href="https://www.rfc-editor.org/rfc/rfc1951#section-3.2.5">RFC 1951 §3.2.5–3.2.6</a>.
 */
final class SmallWindowDeflater {

    private static final int MIN_MATCH = 3;
    private static final int MAX_MATCH = 258;
    /** How many earlier positions the matcher tries: enough for realistic ratios, cheap enough for tests. */
    private static final int MAX_CHAIN = 32;

    private static final int HASH_BITS = 15;

    private static final int[] LENGTH_BASE = {
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258
    };
    private static final int[] LENGTH_EXTRA = {
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
    };
    private static final int[] DISTANCE_BASE = {
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577
    };
    private static final int[] DISTANCE_EXTRA = {
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
    };

    private final int window;
    private final boolean noContextTakeover;
    private byte[] history = new byte[0];

    /** A compressor whose back-references reach at most {@code 2^windowBits} bytes back. */
    SmallWindowDeflater(int windowBits, boolean noContextTakeover) {
        this.window = 1 << windowBits;
        this.noContextTakeover = noContextTakeover;
    }

    /** Compresses one message; the result lacks the trailing {@code 00 00 ff ff}. */
    byte[] compress(byte[] message) {
        byte[] data = Arrays.copyOf(history, history.length + message.length);
        System.arraycopy(message, 0, data, history.length, message.length);
        BitWriter out = new BitWriter(message.length / 2 + 16);
        out.write(0, 1); // BFINAL = 0
        out.write(1, 2); // BTYPE = 01, fixed Huffman codes
        int[] head = new int[1 << HASH_BITS];
        Arrays.fill(head, -1);
        int[] prev = new int[data.length];
        for (int i = 0; i < history.length; i++) {
            insert(data, i, head, prev);
        }
        int i = history.length;
        while (i < data.length) {
            int bestLength = 0;
            int bestDistance = 0;
            if (i + MIN_MATCH <= data.length) {
                int candidate = head[hash(data, i)];
                for (int chain = 0; candidate >= 0 && i - candidate <= window && chain < MAX_CHAIN; chain++) {
                    int length = matchLength(data, candidate, i);
                    if (length > bestLength) {
                        bestLength = length;
                        bestDistance = i - candidate;
                    }
                    candidate = prev[candidate];
                }
            }
            if (bestLength >= MIN_MATCH) {
                writeLength(out, bestLength);
                writeDistance(out, bestDistance);
                for (int k = 0; k < bestLength; k++) {
                    insert(data, i + k, head, prev);
                }
                i += bestLength;
            } else {
                writeLiteral(out, data[i] & 0xFF);
                insert(data, i, head, prev);
                i++;
            }
        }
        writeLiteral(out, 256); // end of block
        // Sync flush: an empty stored block, byte-aligned, then LEN = 0000 and NLEN = ffff (stripped below).
        out.write(0, 3);
        out.align();
        byte[] compressed = out.toByteArray();
        history = noContextTakeover
                ? new byte[0]
                : Arrays.copyOfRange(data, Math.max(0, data.length - window), data.length);
        return compressed;
    }

    private static int matchLength(byte[] data, int from, int to) {
        int length = 0;
        int max = Math.min(MAX_MATCH, data.length - to);
        while (length < max && data[from + length] == data[to + length]) {
            length++;
        }
        return length;
    }

    private static void insert(byte[] data, int position, int[] head, int[] prev) {
        if (position + MIN_MATCH > data.length) {
            return;
        }
        int h = hash(data, position);
        prev[position] = head[h];
        head[h] = position;
    }

    private static int hash(byte[] data, int i) {
        int v = ((data[i] & 0xFF) << 16) | ((data[i + 1] & 0xFF) << 8) | (data[i + 2] & 0xFF);
        return (v * 0x9E3779B1) >>> (32 - HASH_BITS);
    }

    /** RFC 1951 §3.2.6: fixed literal/length codes. */
    private static void writeLiteral(BitWriter out, int symbol) {
        if (symbol < 144) {
            out.writeCode(0x30 + symbol, 8);
        } else if (symbol < 256) {
            out.writeCode(0x190 + symbol - 144, 9);
        } else if (symbol < 280) {
            out.writeCode(symbol - 256, 7);
        } else {
            out.writeCode(0xC0 + symbol - 280, 8);
        }
    }

    private static void writeLength(BitWriter out, int length) {
        int code = LENGTH_BASE.length - 1;
        while (LENGTH_BASE[code] > length) {
            code--;
        }
        writeLiteral(out, 257 + code);
        out.write(length - LENGTH_BASE[code], LENGTH_EXTRA[code]);
    }

    private static void writeDistance(BitWriter out, int distance) {
        int code = DISTANCE_BASE.length - 1;
        while (DISTANCE_BASE[code] > distance) {
            code--;
        }
        out.writeCode(code, 5);
        out.write(distance - DISTANCE_BASE[code], DISTANCE_EXTRA[code]);
    }

    /** Packs bits least-significant first, as DEFLATE does. */
    private static final class BitWriter {
        private final ByteArrayOutputStream bytes;
        private int buffer;
        private int count;

        BitWriter(int capacity) {
            bytes = new ByteArrayOutputStream(capacity);
        }

        /** Writes {@code n} bits of {@code value}, least significant first (extra bits, header fields). */
        void write(int value, int n) {
            for (int i = 0; i < n; i++) {
                buffer |= ((value >>> i) & 1) << count;
                if (++count == 8) {
                    bytes.write(buffer);
                    buffer = 0;
                    count = 0;
                }
            }
        }

        /** Writes a Huffman code of {@code n} bits, most significant first. */
        void writeCode(int code, int n) {
            for (int i = n - 1; i >= 0; i--) {
                write((code >>> i) & 1, 1);
            }
        }

        void align() {
            if (count > 0) {
                bytes.write(buffer);
                buffer = 0;
                count = 0;
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
