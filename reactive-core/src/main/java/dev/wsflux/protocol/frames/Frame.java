package dev.wsflux.protocol.frames;

import dev.wsflux.protocol.codec.FrameParser;
import dev.wsflux.protocol.codec.FrameSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One WebSocket frame: FIN, the three RSV bits, the opcode and the (unmasked) payload.
 *
 * <p>The frame owns its payload: the bytes between the buffer's position and limit. Code that reads
 * the payload should use {@link ByteBuffer#duplicate()} or absolute gets so that the frame can be read
 * again. Masking is a property of the wire, not of the frame: {@link FrameSerializer} masks and
 * {@link FrameParser} unmasks.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.2">RFC 6455 §5.2</a>)
 *
 * @param opcode the opcode
 * @param payload the payload, owned by the frame
 * @param fin whether this is the final fragment of its message
 * @param rsv1 RSV1, claimed by permessage-deflate
 * @param rsv2 RSV2
 * @param rsv3 RSV3
 */
public record Frame(Opcode opcode, ByteBuffer payload, boolean fin, boolean rsv1, boolean rsv2, boolean rsv3)
        implements Event {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** Checks that the opcode and payload are present. */
    public Frame {
        Objects.requireNonNull(opcode, "opcode");
        Objects.requireNonNull(payload, "payload");
    }

    /** A frame without RSV bits. */
    public Frame(Opcode opcode, ByteBuffer payload, boolean fin) {
        this(opcode, payload, fin, false, false, false);
    }

    /** A final text frame holding {@code text} in UTF-8. */
    public static Frame text(String text) {
        return new Frame(Opcode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true);
    }

    /** A final binary frame that takes ownership of {@code bytes}. */
    public static Frame binary(byte[] bytes) {
        return new Frame(Opcode.BINARY, ByteBuffer.wrap(bytes), true);
    }

    /** An empty, read-only payload. */
    public static ByteBuffer emptyPayload() {
        return EMPTY.duplicate();
    }

    /** Returns the payload length in bytes. */
    public int length() {
        return payload.remaining();
    }

    /** Returns a copy of the payload bytes. */
    public byte[] payloadBytes() {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }

    /** Decodes the payload as UTF-8 (it must be valid: the protocol checks text before delivering it). */
    public String payloadText() {
        return StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
    }

    /** Returns this frame with another payload. */
    public Frame withPayload(ByteBuffer newPayload) {
        return new Frame(opcode, newPayload, fin, rsv1, rsv2, rsv3);
    }

    /** Returns this frame with RSV1 set as given. */
    public Frame withRsv1(boolean value) {
        return new Frame(opcode, payload, fin, value, rsv2, rsv3);
    }

    /** Returns the RSV bits as a 3-bit mask: RSV1 = 0b100, RSV2 = 0b010, RSV3 = 0b001. */
    public int rsvBits() {
        return (rsv1 ? 0b100 : 0) | (rsv2 ? 0b010 : 0) | (rsv3 ? 0b001 : 0);
    }

    @Override
    public String toString() {
        return "Frame[" + opcode + (fin ? " fin" : "") + (rsv1 ? " rsv1" : "") + (rsv2 ? " rsv2" : "")
                + (rsv3 ? " rsv3" : "") + ", " + length() + " bytes]";
    }
}
