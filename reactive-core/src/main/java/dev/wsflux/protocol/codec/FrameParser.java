package dev.wsflux.protocol.codec;

import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.frames.PayloadTooBigException;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.frames.WireFormat;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An incremental push parser for WebSocket frames
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.2">RFC 6455 §5.2</a>): bytes go in through
 * {@link #feed(ByteBuffer)} in chunks of any size, down to one byte, and headers, payload chunks and
 * whole frames come out through a {@link Handler}.
 *
 * <p>The parser handles framing, plus the rules that are about a single frame and can be checked from
 * its header: the mask bit must suit the side (§5.1), the opcode must not be reserved (§5.2), control
 * frames must be final and at most 125 bytes (§5.5), a 64-bit length must have its top bit clear (§5.2),
 * and the payload must fit {@code maxFrameSize} (§10.4). Rules about messages (the order of opcodes, RSV
 * bits without a negotiated extension, UTF-8 in text) belong to the caller, which can throw from the
 * handler: {@link Handler#onFrameHeader} runs before any payload byte is buffered, and
 * {@link Handler#onPayloadChunk} sees each piece of payload the moment it arrives.
 *
 * <p>Two deliberate choices:
 *
 * <ul>
 *   <li>Non-minimal length encodings are accepted: a 16-bit length below 126 or a 64-bit length below
 *       65536. §5.2 says "the minimal number of bytes MUST be used to encode the length", but that is a
 *       rule for senders whose breach does no harm to a receiver; the Autobahn test suite does not test
 *       it and most implementations accept such frames.
 *   <li>Memory follows the bytes that arrive, not the length a header announces: the payload buffer
 *       starts at {@code min(length, max(64 KiB, bytes at hand))} and grows as bytes come in (doubling,
 *       then straight to the whole length once an eighth of it has arrived), so it never holds more than
 *       64 KiB or eight times the payload bytes received, whichever is larger. A header that announces
 *       2 GiB and never sends them costs at most 64 KiB.
 * </ul>
 *
 * <p>The state machine reads a header field per step (all of the field's bytes that are at hand) and a
 * payload as one bulk copy and unmask per step, so a frame that is already whole in the input takes a
 * handful of steps, not one per byte.
 *
 * <p>Not thread-safe: a parser belongs to one connection and is fed sequentially.
 */
public final class FrameParser {

    /** The first payload buffer holds at most 64 KiB unless the bytes are already at hand. */
    static final int INITIAL_PAYLOAD_CAPACITY = 64 * 1024; // 64 KiB

    /**
     * Once the payload bytes received reach 1/8 of the frame's length, the payload buffer grows straight
     * to that length; before, it doubles. Eight bounds the memory a lying header can claim to eight times
     * the bytes sent, and lets a 1 MiB frame read in 64 KiB pieces allocate 64 KiB, then 1 MiB.
     */
    static final int FULL_LENGTH_DIVISOR = 8;

    /**
     * The longest payload the parser can hold: the largest array length that JVMs allocate reliably
     * (some reserve header words in an array, hence the 8, as in {@code ArrayList}).
     */
    public static final int MAX_PAYLOAD_LENGTH = Integer.MAX_VALUE - 8;

    /** The placeholder payload between frames (capacity 0, so nothing is ever written to it). */
    private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);
    /** The header before the first frame: shared, as headers are immutable. */
    private static final FrameHeader NO_HEADER =
            new FrameHeader(false, false, false, false, Opcode.CONTINUATION, false, 0);

    /** What the next input byte is. */
    private enum State {
        /** FIN, RSV1-3 and the opcode. */
        FIRST_BYTE,
        /** The MASK bit and the 7-bit payload length. */
        SECOND_BYTE,
        /** The 16- or 64-bit extended payload length, most significant byte first. */
        EXTENDED_LENGTH,
        /** The 4-byte masking key. */
        MASKING_KEY,
        /** Payload bytes. */
        PAYLOAD,
        /**
         * The connection is closing ({@link #discard()}): every further byte is consumed and dropped, as
         * websockets swaps its parser for a discarding one after a Close frame.
         */
        DISCARDING,
        /** A rule was broken (or the handler threw): no more input is accepted. */
        FAILED
    }

    /**
     * A frame's header, as the parser has read it.
     *
     * @param fin whether the frame is the final fragment of its message
     * @param rsv1 RSV1 (permessage-deflate's "compressed" bit)
     * @param rsv2 RSV2
     * @param rsv3 RSV3
     * @param opcode the opcode, never a reserved one
     * @param masked whether the payload was masked on the wire
     * @param length the payload length in bytes, at most the parser's frame size limit
     */
    public record FrameHeader(
            boolean fin, boolean rsv1, boolean rsv2, boolean rsv3, Opcode opcode, boolean masked, long length) {

        /** Checks that the opcode is present and the length is not negative. */
        public FrameHeader {
            Objects.requireNonNull(opcode, "opcode");
            if (length < 0) {
                throw new IllegalArgumentException("negative payload length: " + length);
            }
        }

        /**
         * Returns the RSV bits as a 3-bit mask, as in {@link Extension#rsvBits()}.
         *
         * @return RSV1 as {@code 0b100}, RSV2 as {@code 0b010}, RSV3 as {@code 0b001}
         */
        public int rsvBits() {
            return (rsv1 ? 0b100 : 0) | (rsv2 ? 0b010 : 0) | (rsv3 ? 0b001 : 0);
        }
    }

    /**
     * Receives what the parser finds, in order: for each frame, {@link #onFrameHeader} and
     * {@link #wantsPayloadChunks} once, then {@link #onPayloadChunk} for each piece of a non-empty payload
     * (if wanted), then {@link #onFrame} once. Any
     * method may throw (typically a {@link WebSocketProtocolException}); the exception leaves
     * {@link FrameParser#feed} unchanged and the parser accepts no more input.
     */
    @FunctionalInterface
    public interface Handler {
        /**
         * A header is complete and has passed the parser's rules; no payload byte is buffered yet, so
         * throwing here rejects the frame before it costs memory. Does nothing by default.
         *
         * @param header the frame's header
         */
        default void onFrameHeader(FrameHeader header) {}

        /**
         * Whether {@link #onPayloadChunk} should be called for the frame whose header was just given to
         * {@link #onFrameHeader} (called right after it). A handler that only checks some frames (text,
         * say) answers {@code false} for the others, which spares the parser a read-only view per chunk.
         * Returns {@code true} by default.
         *
         * @param header the frame's header, as given to {@link #onFrameHeader}
         * @return {@code true} to see the frame's payload chunks, {@code false} to see only the frame
         */
        default boolean wantsPayloadChunks(FrameHeader header) {
            return true;
        }

        /**
         * A piece of the frame's payload arrived, already unmasked (for fail-fast UTF-8 checks). Not
         * called for empty payloads, nor for frames for which {@link #wantsPayloadChunks} returned
         * {@code false}. Does nothing by default.
         *
         * @param header the frame's header, as given to {@link #onFrameHeader}
         * @param chunk the new bytes as a read-only view, valid only during the call
         */
        default void onPayloadChunk(FrameHeader header, ByteBuffer chunk) {}

        /**
         * The frame is complete.
         *
         * @param frame the frame; it owns its payload, a fresh heap buffer with position 0
         */
        void onFrame(Frame frame);
    }

    private final boolean expectMasked;
    private final long maxFrameSize;
    private final Handler handler;

    private State state = State.FIRST_BYTE;

    // The header being read.
    private boolean fin;
    private boolean rsv1;
    private boolean rsv2;
    private boolean rsv3;
    private Opcode opcode = Opcode.CONTINUATION;
    private boolean masked;
    private boolean length64;
    private long length;
    private int maskKey;
    /** Bytes still to read in EXTENDED_LENGTH or MASKING_KEY. */
    private int fieldBytesLeft;

    // The payload being read.
    private FrameHeader header = NO_HEADER;
    private ByteBuffer payload = NO_PAYLOAD;
    /** Whether the handler asked for {@link Handler#onPayloadChunk} calls for this frame. */
    private boolean wantsChunks;

    private int maskOffset;
    /** Set by {@link #pause()} from a handler: {@link #feed} returns once the current frame was delivered. */
    private boolean pauseRequested;

    /**
     * Creates a parser for one side of a connection.
     *
     * @param expectMasked {@code true} on the server side (client frames must be masked), {@code false}
     *     on the client side (server frames must not be)
     * @param maxFrameSize the largest payload of one frame in bytes, or 0 for no limit other than
     *     {@link #MAX_PAYLOAD_LENGTH}; a larger frame fails with {@link PayloadTooBigException} (1009)
     * @param handler receives headers, payload chunks and frames
     * @throws IllegalArgumentException if {@code maxFrameSize} is negative
     */
    public FrameParser(boolean expectMasked, long maxFrameSize, Handler handler) {
        if (maxFrameSize < 0) {
            throw new IllegalArgumentException("negative maxFrameSize: " + maxFrameSize);
        }
        this.expectMasked = expectMasked;
        this.maxFrameSize = maxFrameSize == 0 ? MAX_PAYLOAD_LENGTH : Math.min(maxFrameSize, MAX_PAYLOAD_LENGTH);
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Consumes the remaining bytes of {@code data}, calling the handler as headers, payload and frames
     * appear. On return the position is at the limit, unless a handler called {@link #pause()}: then it is
     * just after the frame that was being delivered, and the bytes after it are left for the next call.
     * Bytes of an unfinished frame are kept for the next call. While {@linkplain #discard() discarding},
     * bytes are consumed and dropped.
     *
     * @param data the next bytes from the peer, in any byte order; the parser keeps no reference to it
     * @throws WebSocketProtocolException (1002) when a frame breaks one of the parser's rules, or
     *     {@link PayloadTooBigException} (1009) when a frame is larger than the limit; the position is then
     *     just after the byte that showed it, and the parser is failed
     * @throws IllegalStateException if the parser failed earlier
     * @throws RuntimeException whatever the handler throws, unchanged; the parser is failed then too
     */
    public void feed(ByteBuffer data) {
        if (state == State.FAILED) {
            throw new IllegalStateException("frame parser has failed and accepts no more input");
        }
        boolean done = false;
        pauseRequested = false;
        try {
            while (data.hasRemaining() && !pauseRequested) {
                step(data);
            }
            done = true;
        } finally {
            pauseRequested = false;
            if (!done) {
                state = State.FAILED;
            }
        }
    }

    /**
     * Makes the running {@link #feed} return once the frame being delivered was handled, leaving the
     * bytes after it in the input. For a handler that must stop taking frames, typically because its
     * consumer's queue is full (flow control): the bytes left wait until it can take more. Does nothing
     * outside a {@code feed} call.
     */
    public void pause() {
        pauseRequested = true;
    }

    /**
     * Drops every byte from now on, including the rest of the input of the running {@link #feed}: after a
     * Close frame (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1">RFC 6455 §5.5.1</a>: the
     * endpoint "MUST NOT" process data after it), the parser is not failed, it only stops parsing.
     */
    public void discard() {
        if (state != State.FAILED) {
            state = State.DISCARDING;
            payload = NO_PAYLOAD;
        }
    }

    /** Whether {@link #discard()} was called (and the parser did not fail since). */
    public boolean isDiscarding() {
        return state == State.DISCARDING;
    }

    /**
     * Returns whether no frame is partly read, that is the input so far ended on a frame boundary.
     *
     * @return {@code true} between frames, {@code false} inside a frame or after a failure
     */
    public boolean isIdle() {
        return state == State.FIRST_BYTE;
    }

    /** The capacity of the payload buffer being filled (for tests of lazy allocation). */
    int payloadCapacity() {
        return payload.capacity();
    }

    private void step(ByteBuffer data) {
        switch (state) {
            case FIRST_BYTE -> readFirstByte(data.get());
            case SECOND_BYTE -> readSecondByte(data.get(), data);
            case EXTENDED_LENGTH -> readExtendedLength(data);
            case MASKING_KEY -> readMaskingKey(data);
            case PAYLOAD -> readPayload(data);
            case DISCARDING -> data.position(data.limit());
            case FAILED -> throw new IllegalStateException("frame parser has failed");
        }
    }

    private void readFirstByte(byte b) {
        fin = (b & WireFormat.FIN) != 0;
        rsv1 = (b & WireFormat.RSV1) != 0;
        rsv2 = (b & WireFormat.RSV2) != 0;
        rsv3 = (b & WireFormat.RSV3) != 0;
        opcode = checkOpcode(b & WireFormat.OPCODE);
        state = State.SECOND_BYTE;
    }

    private void readSecondByte(byte b, ByteBuffer data) {
        masked = (b & WireFormat.MASK) != 0;
        checkMask();
        int length7 = b & WireFormat.LENGTH_7;
        if (opcode.isControl()) {
            checkControlFrame(length7);
        }
        length = 0;
        if (length7 == WireFormat.LENGTH_16_BIT || length7 == WireFormat.LENGTH_64_BIT) {
            length64 = length7 == WireFormat.LENGTH_64_BIT;
            fieldBytesLeft = length64 ? Long.BYTES : Short.BYTES;
            state = State.EXTENDED_LENGTH;
        } else {
            length = length7;
            lengthComplete(data);
        }
    }

    private void readExtendedLength(ByteBuffer data) {
        while (fieldBytesLeft > 0 && data.hasRemaining()) {
            length = length << Byte.SIZE | (data.get() & 0xFF);
            fieldBytesLeft--;
        }
        if (fieldBytesLeft == 0) {
            if (length64) {
                checkLength64();
            }
            lengthComplete(data);
        }
    }

    private void lengthComplete(ByteBuffer data) {
        if (masked) {
            maskKey = 0;
            fieldBytesLeft = Integer.BYTES;
            state = State.MASKING_KEY;
        } else {
            headerComplete(data);
        }
    }

    private void readMaskingKey(ByteBuffer data) {
        while (fieldBytesLeft > 0 && data.hasRemaining()) {
            maskKey = maskKey << Byte.SIZE | (data.get() & 0xFF);
            fieldBytesLeft--;
        }
        if (fieldBytesLeft == 0) {
            headerComplete(data);
        }
    }

    private void headerComplete(ByteBuffer data) {
        checkFrameSize();
        header = new FrameHeader(fin, rsv1, rsv2, rsv3, opcode, masked, length);
        handler.onFrameHeader(header);
        if (state == State.DISCARDING) {
            return; // the handler stopped parsing: nothing of this frame is buffered
        }
        wantsChunks = handler.wantsPayloadChunks(header);
        maskOffset = 0;
        // length <= MAX_PAYLOAD_LENGTH here, so the casts are exact.
        payload = ByteBuffer.allocate((int) Math.min(length, Math.max(INITIAL_PAYLOAD_CAPACITY, data.remaining())));
        if (length == 0) {
            frameComplete();
        } else {
            state = State.PAYLOAD;
        }
    }

    private void readPayload(ByteBuffer data) {
        int start = payload.position();
        int n = (int) Math.min(data.remaining(), length - start);
        ensureCapacity(n);
        // The input's limit is moved to the frame's end for the copy and put back, rather than slicing it.
        int limit = data.limit();
        data.limit(data.position() + n);
        if (masked) {
            maskOffset = Masker.maskCopy(data, payload, maskKey, maskOffset);
        } else {
            payload.put(data);
        }
        data.limit(limit);
        if (wantsChunks) {
            // A new view per chunk, not one kept in a field: a view that doesn't escape the call is
            // scalar-replaced once the handler is inlined, a cached one always costs an allocation per frame.
            handler.onPayloadChunk(
                    header, payload.asReadOnlyBuffer().limit(start + n).position(start));
        }
        if (payload.position() == length) {
            payload.flip();
            frameComplete();
        }
    }

    /**
     * Grows the payload buffer to hold {@code n} more bytes, never beyond the frame's length. It doubles
     * while less than an eighth of the frame has arrived, then jumps to the whole length: memory still
     * follows the bytes that arrive (at most eight times them), and since the doublings stop at an
     * eighth, the copies made while growing add up to about a quarter of the frame's length.
     */
    private void ensureCapacity(int n) {
        if (payload.remaining() < n) {
            long needed = (long) payload.position() + n;
            long wanted = needed * FULL_LENGTH_DIVISOR >= length ? length : Math.max(2L * payload.capacity(), needed);
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(length, wanted));
            payload.flip();
            bigger.put(payload);
            payload = bigger;
        }
    }

    private void frameComplete() {
        Frame frame = new Frame(opcode, payload, fin, rsv1, rsv2, rsv3);
        payload = NO_PAYLOAD;
        state = State.FIRST_BYTE;
        handler.onFrame(frame);
    }

    private static Opcode checkOpcode(int code) {
        Opcode known = Opcode.fromCode(code);
        // §5.2: "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket
        // Connection_." (0x3-0x7 and 0xB-0xF are reserved.)
        if (known == null) {
            throw protocolError("reserved opcode: 0x" + Integer.toHexString(code));
        }
        return known;
    }

    private void checkMask() {
        // §5.1: "The server MUST close the connection upon receiving a frame that is not masked."
        if (expectMasked && !masked) {
            throw protocolError("unmasked frame from client: " + opcode);
        }
        // §5.1: "A client MUST close a connection if it detects a masked frame."
        if (!expectMasked && masked) {
            throw protocolError("masked frame from server: " + opcode);
        }
    }

    private void checkControlFrame(int length7) {
        // §5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be
        // fragmented." A 7-bit length of 126 or 127 announces an extended length, which is too long.
        if (length7 > WireFormat.MAX_CONTROL_PAYLOAD) {
            throw protocolError("control frame too long: " + opcode + " with payload length code " + length7
                    + " (at most 125 bytes)");
        }
        if (!fin) {
            throw protocolError("fragmented control frame: " + opcode + " without FIN");
        }
    }

    private void checkLength64() {
        // §5.2: "If 127, the following 8 bytes interpreted as a 64-bit unsigned integer (the most
        // significant bit MUST be 0) are the payload length."
        if (length < 0) {
            throw protocolError(
                    "64-bit payload length with the most significant bit set: 0x" + Long.toHexString(length));
        }
    }

    private void checkFrameSize() {
        // §10.4: "Such an implementation SHOULD impose a limit on frame sizes and the total message size
        // after reassembly from multiple frames."
        if (length > maxFrameSize) {
            throw new PayloadTooBigException(length, maxFrameSize);
        }
    }

    private static WebSocketProtocolException protocolError(String message) {
        return new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, message);
    }
}
