package dev.wsflux.protocol.codec;

import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.frames.WireFormat;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes frames in the wire format of <a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.2">RFC 6455
 * §5.2</a>, masking them on the client side (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.3">§5.3</a>).
 *
 * <p>For example, a final text frame "Hello", unmasked and then masked with key {@code 0x37fa213d}
 * (§5.7):
 *
 * <pre>
 * 81 05 48 65 6c 6c 6f
 * 81 85 37 fa 21 3d 7f 9f 4d 51 58
 * </pre>
 *
 * <p>The length is always written in the minimal number of bytes (§5.2). The serializer checks the
 * frame-level rule on control frames (§5.5) and leaves message-level rules (opcode order, RSV bits,
 * UTF-8) to the protocol. Not thread-safe: it draws a key from its {@link MaskKeySource} per frame, and
 * frames from one connection are written sequentially.
 */
public final class FrameSerializer {

    private final boolean mask;
    private final MaskKeySource keys;

    /**
     * Creates a serializer for one side of a connection.
     *
     * @param mask {@code true} on the client side: §5.1 "a client MUST mask all frames that it sends to
     *     the server"; {@code false} on the server side: "A server MUST NOT mask any frames that it sends
     *     to the client"
     * @param keys where masking keys come from ({@link MaskKeySource#secure()} outside tests); not used
     *     when {@code mask} is {@code false}
     */
    public FrameSerializer(boolean mask, MaskKeySource keys) {
        this.mask = mask;
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /**
     * Returns the length of a frame header.
     *
     * @param payloadLength the payload length in bytes
     * @param masked whether the header carries a masking key
     * @return 2, 4 or 10 bytes for a 7-bit, 16-bit or 64-bit length, plus 4 when masked
     * @throws IllegalArgumentException if {@code payloadLength} is negative
     */
    public static int headerLength(long payloadLength, boolean masked) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length: " + payloadLength);
        }
        int extended = payloadLength <= WireFormat.MAX_LENGTH_7 ? 0 : payloadLength <= WireFormat.MAX_LENGTH_16 ? 2 : 8;
        return 2 + extended + (masked ? 4 : 0);
    }

    /**
     * Serializes a frame into a new buffer.
     *
     * @param frame the frame; its payload's position is not changed
     * @return a heap buffer holding the header and the (masked) payload, flipped, ready to read
     * @throws IllegalArgumentException if {@code frame} is a control frame that is too long or not final
     */
    public ByteBuffer serialize(Frame frame) {
        ByteBuffer out = ByteBuffer.allocate(headerLength(frame.length(), mask) + frame.length());
        serializeTo(frame, out);
        return out.flip();
    }

    /**
     * Writes a frame's header and (masked) payload into {@code out} at its position, which advances. The
     * bytes are in network order whatever {@code out}'s byte order is.
     *
     * @param frame the frame; its payload's position is not changed
     * @param out where to write; needs {@code headerLength(frame.length(), mask) + frame.length()} bytes
     *     remaining
     * @throws IllegalArgumentException if {@code frame} is a control frame that is too long or not final
     * @throws BufferOverflowException if {@code out} has too few bytes remaining; nothing is written then
     */
    public void serializeTo(Frame frame, ByteBuffer out) {
        checkControlFrame(frame);
        int length = frame.length();
        if (out.remaining() < headerLength(length, mask) + length) {
            throw new BufferOverflowException();
        }
        putHeader(frame, out);
        if (mask) {
            // §5.3: "The masking key is a 32-bit value chosen at random by the client. When preparing a
            // masked frame, the client MUST pick a fresh masking key from the set of allowed 32-bit values."
            int key = keys.nextMaskKey();
            putBigEndian(out, key & 0xFFFF_FFFFL, Integer.BYTES);
            putPayload(frame.payload(), length, out);
            maskWritten(out, length, key);
        } else {
            putPayload(frame.payload(), length, out);
        }
    }

    /**
     * The header alone of an unmasked frame (a server's), for a payload that the caller writes after it as
     * it is: a large payload then goes to the socket without being copied into a frame first.
     *
     * @param frame the frame; its payload is not read
     * @return the header bytes, ready to read
     * @throws IllegalStateException if this serializer masks (a masked payload must be copied to be
     *     masked)
     * @throws IllegalArgumentException if {@code frame} is a control frame that is too long or not final
     */
    public ByteBuffer serializeHeader(Frame frame) {
        if (mask) {
            throw new IllegalStateException("a client's frames are masked: serialize the whole frame");
        }
        checkControlFrame(frame);
        ByteBuffer out = ByteBuffer.allocate(headerLength(frame.length(), false));
        putHeader(frame, out);
        return out.flip();
    }

    private void putHeader(Frame frame, ByteBuffer out) {
        int length = frame.length();
        out.put((byte) ((frame.fin() ? WireFormat.FIN : 0)
                | frame.rsvBits() << 4
                | frame.opcode().code()));
        int maskBit = mask ? WireFormat.MASK : 0;
        if (length <= WireFormat.MAX_LENGTH_7) {
            out.put((byte) (maskBit | length));
        } else if (length <= WireFormat.MAX_LENGTH_16) {
            out.put((byte) (maskBit | WireFormat.LENGTH_16_BIT));
            putBigEndian(out, length, Short.BYTES);
        } else {
            out.put((byte) (maskBit | WireFormat.LENGTH_64_BIT));
            putBigEndian(out, length, Long.BYTES);
        }
    }

    /**
     * Copies the payload without moving its position and without a duplicate per frame: an array copy
     * between heap buffers (the usual case), otherwise an absolute bulk put. On JDK 17 the absolute put
     * itself costs more allocation per message than the duplicate it replaces (MessagePathBenchmark,
     * {@code -prof gc}), hence the array path first.
     */
    private static void putPayload(ByteBuffer payload, int length, ByteBuffer out) {
        int at = out.position();
        if (payload.hasArray() && out.hasArray()) {
            System.arraycopy(
                    payload.array(),
                    payload.arrayOffset() + payload.position(),
                    out.array(),
                    out.arrayOffset() + at,
                    length);
        } else {
            out.put(at, payload, payload.position(), length);
        }
        out.position(at + length);
    }

    /** Masks, in place, the {@code length} bytes just written before {@code out}'s position. */
    private static void maskWritten(ByteBuffer out, int length, int key) {
        int end = out.position();
        int limit = out.limit();
        out.position(end - length).limit(end);
        Masker.mask(out, key, 0);
        out.limit(limit).position(end);
    }

    private static void checkControlFrame(Frame frame) {
        if (frame.opcode().isControl()) {
            // §5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be
            // fragmented."
            if (frame.length() > WireFormat.MAX_CONTROL_PAYLOAD) {
                throw new IllegalArgumentException(
                        "control frame too long: " + frame.opcode() + " of " + frame.length() + " bytes");
            }
            if (!frame.fin()) {
                throw new IllegalArgumentException("fragmented control frame: " + frame.opcode() + " without FIN");
            }
        }
    }

    /** Writes the low {@code bytes} bytes of {@code value}, most significant first, whatever out's order. */
    private static void putBigEndian(ByteBuffer out, long value, int bytes) {
        for (int shift = (bytes - 1) * Byte.SIZE; shift >= 0; shift -= Byte.SIZE) {
            out.put((byte) (value >>> shift));
        }
    }
}
