package dev.wsflux.conformance;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * One WebSocket frame as the conformance peer writes or reads it, with every bit under the peer's control
 * (reserved opcodes, reserved bits, oversized control frames), which is why it does not reuse wsflux's
 * {@code Frame}.
 *
 * <pre>{@code
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |                               |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * }</pre>
 *
 * <p>Immutable apart from the payload array, which callers must not modify. See <a
 * href="https://www.rfc-editor.org/rfc/rfc6455#section-5.2">RFC 6455 §5.2</a>.
 *
 * @param opcode the 4-bit opcode, reserved values included
 * @param fin the FIN bit
 * @param rsv the three reserved bits as a number 0..7 (RSV1 = 4, RSV2 = 2, RSV3 = 1)
 * @param payload the unmasked payload
 */
public record WireFrame(int opcode, boolean fin, int rsv, byte[] payload) {

    /** Opcode of a continuation frame. */
    public static final int CONTINUATION = 0x0;
    /** Opcode of a text frame. */
    public static final int TEXT = 0x1;
    /** Opcode of a binary frame. */
    public static final int BINARY = 0x2;
    /** Opcode of a close frame. */
    public static final int CLOSE = 0x8;
    /** Opcode of a ping frame. */
    public static final int PING = 0x9;
    /** Opcode of a pong frame. */
    public static final int PONG = 0xA;

    /** Convenience: a final frame without reserved bits. */
    public static WireFrame of(int opcode, byte[] payload) {
        return new WireFrame(opcode, true, 0, payload);
    }

    /** Whether the opcode is a control opcode (high bit set). */
    public boolean isControl() {
        return (opcode & 0x8) != 0;
    }

    /**
     * Serializes the frame; masked with {@code maskKey} when it is non-null (client to server), unmasked
     * otherwise (server to client).
     */
    public byte[] encode(byte[] maskKey) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = maskKey == null ? 0 : 0x80;
        int length = payload.length;
        if (length <= 125) {
            out.write(maskBit | length);
        } else if (length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift));
            }
        }
        if (maskKey == null) {
            out.writeBytes(payload);
        } else {
            out.writeBytes(maskKey);
            byte[] masked = payload.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] ^= maskKey[i & 3];
            }
            out.writeBytes(masked);
        }
        return out.toByteArray();
    }

    /** A short human-readable description for wire evidence: opcode, flags, length and the first bytes. */
    public String describe() {
        return "%s%s%s len=%d %s"
                .formatted(
                        opcodeName(opcode),
                        fin ? "" : " fin=0",
                        rsv == 0 ? "" : " rsv=" + rsv,
                        payload.length,
                        Hex.preview(payload));
    }

    /** The name of an opcode, or {@code op=N} for a reserved one. */
    public static String opcodeName(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "CONT";
            case TEXT -> "TEXT";
            case BINARY -> "BINARY";
            case CLOSE -> "CLOSE";
            case PING -> "PING";
            case PONG -> "PONG";
            default -> "op=" + opcode;
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WireFrame that
                && opcode == that.opcode
                && fin == that.fin
                && rsv == that.rsv
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * opcode + Boolean.hashCode(fin)) + rsv) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return describe();
    }
}
