package dev.wsflux.protocol.testing;

import java.nio.ByteBuffer;

/**
 * Hex literals for tests: {@code Hex.decode("81 05 48 65 6c 6c 6f")} and back with
 * {@code Hex.encode(buffer)}, which writes lower-case pairs separated by spaces, so that the two
 * round-trip and failures read like the RFC's examples.
 */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {}

    /**
     * Decodes pairs of hex digits; whitespace anywhere is ignored.
     *
     * @param hex such as {@code "81 05 48 65"} or {@code "81054865"}, either case
     * @return the bytes
     * @throws IllegalArgumentException on a character that is not a hex digit or an odd number of digits
     */
    public static byte[] decode(String hex) {
        String digits = hex.replaceAll("\\s+", "");
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + digits.length() + " in \"" + hex + "\"");
        }
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (digit(digits, 2 * i) << 4 | digit(digits, 2 * i + 1));
        }
        return bytes;
    }

    /**
     * Decodes like {@link #decode(String)} into a heap buffer ready to read.
     *
     * @param hex the hex digits
     * @return a buffer wrapping the decoded bytes
     */
    public static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(decode(hex));
    }

    /**
     * Encodes bytes {@code [position, limit)} without moving the position.
     *
     * @param bytes the bytes to show
     * @return such as {@code "81 05 48 65"}; the empty string for no bytes
     */
    public static String encode(ByteBuffer bytes) {
        StringBuilder text = new StringBuilder(bytes.remaining() * 3);
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            if (i > bytes.position()) {
                text.append(' ');
            }
            int b = bytes.get(i) & 0xFF;
            text.append(DIGITS[b >>> 4]).append(DIGITS[b & 0xF]);
        }
        return text.toString();
    }

    /**
     * Encodes all of {@code bytes}.
     *
     * @param bytes the bytes to show
     * @return such as {@code "81 05 48 65"}
     */
    public static String encode(byte[] bytes) {
        return encode(ByteBuffer.wrap(bytes));
    }

    private static int digit(String digits, int index) {
        int value = Character.digit(digits.charAt(index), 16);
        if (value < 0) {
            throw new IllegalArgumentException("not a hex digit: '" + digits.charAt(index) + "' in \"" + digits + "\"");
        }
        return value;
    }
}
