package dev.wsflux.protocol.frames;

/**
 * A WebSocket frame opcode (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.2">RFC 6455 §5.2</a>).
 *
 * <p>Opcodes 0x3–0x7 and 0xB–0xF are reserved: {@link #fromCode(int)} returns {@code null} for them
 * and a receiver fails the connection with 1002.
 */
public enum Opcode {
    /** 0x0: continues a fragmented data message. */
    CONTINUATION(0x0),
    /** 0x1: the first frame of a text message (UTF-8). */
    TEXT(0x1),
    /** 0x2: the first frame of a binary message. */
    BINARY(0x2),
    /** 0x8: the Close control frame. */
    CLOSE(0x8),
    /** 0x9: the Ping control frame. */
    PING(0x9),
    /** 0xA: the Pong control frame. */
    PONG(0xA);

    private static final Opcode[] BY_CODE = new Opcode[16];

    static {
        for (Opcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** Returns the 4-bit value of this opcode on the wire. */
    public int code() {
        return code;
    }

    /** Control frames (Close, Ping, Pong) have the most significant opcode bit set (§5.5). */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    /** Returns true for Continuation, Text and Binary. */
    public boolean isData() {
        return !isControl();
    }

    /**
     * Returns the opcode with the given 4-bit value, or {@code null} when the value is reserved.
     *
     * @param code a value in 0–15; other values return {@code null}
     */
    public static Opcode fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
