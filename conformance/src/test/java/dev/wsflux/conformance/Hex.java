package dev.wsflux.conformance;

import java.util.HexFormat;

/** Hex helpers for case data and wire evidence. Stateless and thread-safe. */
public final class Hex {

    /** How many payload bytes wire evidence shows before eliding the rest. */
    private static final int PREVIEW_BYTES = 16;

    private Hex() {}

    /** Decodes a hex string such as {@code "cebae1"}. */
    public static byte[] decode(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Encodes bytes as lower-case hex. */
    public static String encode(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The first bytes as hex, with an ellipsis when the payload is longer. */
    public static String preview(byte[] bytes) {
        if (bytes.length <= PREVIEW_BYTES) {
            return encode(bytes);
        }
        return HexFormat.of().formatHex(bytes, 0, PREVIEW_BYTES) + "…";
    }
}
