package dev.wsflux.protocol.testing;

/**
 * Walks a raw DEFLATE stream (<a href="https://www.rfc-editor.org/rfc/rfc1951">RFC 1951</a>) and
 * reports the longest back-reference distance in it, to check that a compressor kept to a window.
 * Slow and for tests only; it decodes Huffman codes bit by bit, after the structure of Mark Adler's
 * {@code puff.c} (zlib's reference inflater), and produces no output.
 */
public final class PerMessageDeflateDistances {
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
    /** The order in which code length code lengths are sent (RFC 1951 §3.2.7). */
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private final byte[] data;
    private long bit;
    private int maxDistance;
    private long produced;

    private PerMessageDeflateDistances(byte[] data) {
        this.data = data;
    }

    /**
     * Returns the longest distance of any back-reference in {@code stream}, a sequence of DEFLATE blocks
     * that ends at the end of a block (as permessage-deflate messages do once {@code 00 00 ff ff} is
     * appended to each).
     *
     * @throws IllegalArgumentException when the stream is malformed or refers before its start
     */
    public static int maxDistance(byte[] stream) {
        PerMessageDeflateDistances reader = new PerMessageDeflateDistances(stream);
        reader.readBlocks();
        return reader.maxDistance;
    }

    private void readBlocks() {
        while (bit < 8L * data.length) {
            boolean last = bits(1) == 1;
            int type = bits(2);
            switch (type) {
                case 0 -> stored();
                case 1 -> codes(fixedLiterals(), fixedDistances());
                case 2 -> dynamic();
                default -> throw new IllegalArgumentException("invalid block type 3 at bit " + bit);
            }
            if (last) {
                bit = (bit + 7) & ~7L;
            }
        }
    }

    private void stored() {
        bit = (bit + 7) & ~7L;
        int length = bits(16);
        int complement = bits(16);
        if ((length ^ 0xffff) != complement) {
            throw new IllegalArgumentException("stored block length does not match its complement");
        }
        bit += 8L * length;
        produced += length;
    }

    private void dynamic() {
        int literalCount = bits(5) + 257;
        int distanceCount = bits(5) + 1;
        int codeLengthCount = bits(4) + 4;
        int[] codeLengthLengths = new int[19];
        for (int i = 0; i < codeLengthCount; i++) {
            codeLengthLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Huffman codeLengths = new Huffman(codeLengthLengths);
        int[] lengths = new int[literalCount + distanceCount];
        int index = 0;
        while (index < lengths.length) {
            int symbol = decode(codeLengths);
            if (symbol < 16) {
                lengths[index++] = symbol;
                continue;
            }
            int repeat;
            int value = 0;
            if (symbol == 16) {
                value = lengths[index - 1];
                repeat = 3 + bits(2);
            } else if (symbol == 17) {
                repeat = 3 + bits(3);
            } else {
                repeat = 11 + bits(7);
            }
            for (int i = 0; i < repeat; i++) {
                lengths[index++] = value;
            }
        }
        int[] literalLengths = new int[literalCount];
        int[] distanceLengths = new int[distanceCount];
        System.arraycopy(lengths, 0, literalLengths, 0, literalCount);
        System.arraycopy(lengths, literalCount, distanceLengths, 0, distanceCount);
        codes(new Huffman(literalLengths), new Huffman(distanceLengths));
    }

    private void codes(Huffman literals, Huffman distances) {
        while (true) {
            int symbol = decode(literals);
            if (symbol < 256) {
                produced++;
            } else if (symbol == 256) {
                return;
            } else {
                int length = LENGTH_BASE[symbol - 257] + bits(LENGTH_EXTRA[symbol - 257]);
                int code = decode(distances);
                int distance = DISTANCE_BASE[code] + bits(DISTANCE_EXTRA[code]);
                if (distance > produced) {
                    throw new IllegalArgumentException("distance " + distance + " before the stream start");
                }
                maxDistance = Math.max(maxDistance, distance);
                produced += length;
            }
        }
    }

    private int bits(int count) {
        int value = 0;
        for (int i = 0; i < count; i++) {
            if (bit >= 8L * data.length) {
                throw new IllegalArgumentException("stream ends inside a block");
            }
            int b = (data[(int) (bit >>> 3)] >>> (bit & 7)) & 1;
            value |= b << i;
            bit++;
        }
        return value;
    }

    /** Decodes one symbol: Huffman codes are packed starting with their most significant bit. */
    private int decode(Huffman huffman) {
        int code = 0;
        int first = 0;
        int index = 0;
        for (int length = 1; length < huffman.count.length; length++) {
            code |= bits(1);
            int count = huffman.count[length];
            if (code - count < first) {
                return huffman.symbols[index + (code - first)];
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        throw new IllegalArgumentException("invalid huffman code");
    }

    private static Huffman fixedLiterals() {
        int[] lengths = new int[288];
        for (int i = 0; i < 288; i++) {
            lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
        }
        return new Huffman(lengths);
    }

    private static Huffman fixedDistances() {
        int[] lengths = new int[30];
        java.util.Arrays.fill(lengths, 5);
        return new Huffman(lengths);
    }

    /** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
    private static final class Huffman {
        final int[] count = new int[16];
        final int[] symbols;

        Huffman(int[] lengths) {
            for (int length : lengths) {
                count[length]++;
            }
            count[0] = 0;
            int[] offsets = new int[16];
            for (int length = 1; length < 15; length++) {
                offsets[length + 1] = offsets[length] + count[length];
            }
            symbols = new int[lengths.length];
            for (int symbol = 0; symbol < lengths.length; symbol++) {
                if (lengths[symbol] != 0) {
                    symbols[offsets[lengths[symbol]]++] = symbol;
                }
            }
        }
    }
}
