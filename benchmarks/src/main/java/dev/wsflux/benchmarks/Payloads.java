package dev.wsflux.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic payloads for the benchmarks: ASCII text, mixed-script text and JSON. Stateless. */
final class Payloads {
    private Payloads() {}

    /** {@code size} bytes of printable ASCII, the same for every call. */
    static byte[] ascii(int size) {
        byte[] bytes = new byte[size];
        Random random = new Random(42);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (' ' + random.nextInt('~' - ' '));
        }
        return bytes;
    }

    /**
     * About {@code size} bytes of valid UTF-8 that mixes 1-, 2-, 3- and 4-byte sequences (Latin, Greek,
     * CJK, emoji), cut on a code point boundary so that it stays valid.
     */
    static byte[] mixed(int size) {
        String[] pieces = {"hello, ", "καλημέρα ", "こんにちは ", "\uD83D\uDE80 ", "déjà vu ", "0123456789 "};
        StringBuilder text = new StringBuilder();
        Random random = new Random(42);
        while (text.toString().getBytes(StandardCharsets.UTF_8).length < size) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
        int end = size;
        // Step back over continuation bytes (10xxxxxx) so the cut does not split a code point.
        while ((utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        byte[] bytes = new byte[end];
        System.arraycopy(utf8, 0, bytes, 0, end);
        return bytes;
    }

    /** {@code size} bytes of JSON records like those {@code wsload -z 1} sends (compresses to about 1/4). */
    static byte[] json(int size) {
        return json(size, 42);
    }

    /** Like {@link #json(int)}, with other records for another {@code seed}. */
    static byte[] json(int size, long seed) {
        StringBuilder text = new StringBuilder("[");
        Random random = new Random(seed);
        String[] sides = {"buy", "sell"};
        while (text.length() < size) {
            text.append("{\"id\":")
                    .append(random.nextInt(1_000_000))
                    .append(",\"user\":\"user")
                    .append(random.nextInt(1000))
                    .append("\",\"price\":")
                    .append(random.nextInt(10_000))
                    .append('.')
                    .append(random.nextInt(90) + 10)
                    .append(",\"qty\":")
                    .append(random.nextInt(500))
                    .append(",\"side\":\"")
                    .append(sides[random.nextInt(2)])
                    .append("\",\"ts\":")
                    .append(1_700_000_000_000L + random.nextInt(1_000_000))
                    .append("},");
        }
        text.setLength(size);
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
