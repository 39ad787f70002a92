package dev.wsflux.protocol.extensions;

import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.PayloadTooBigException;
import dev.wsflux.protocol.frames.WebSocketProtocolException;

/**
 * A negotiated extension that every data frame passes through: {@link #decode} on the way in,
 * {@link #encode} on the way out (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-9">RFC 6455 §9</a>).
 *
 * <p>Extensions are applied in negotiated order when encoding and in reverse order when decoding.
 * Control frames are passed to extensions too; an extension that only transforms data frames returns
 * them unchanged. An instance belongs to one connection and is not thread-safe; the protocol calls
 * {@link #close()} once when the connection closes, so that native resources are released.
 */
public interface Extension extends AutoCloseable {

    /** The registered extension name, such as {@code permessage-deflate}. */
    String name();

    /**
     * The RSV bits this extension uses, as a mask of {@code 0b100} (RSV1), {@code 0b010} (RSV2) and
     * {@code 0b001} (RSV3). A received frame with a bit that no negotiated extension claims fails the
     * connection with 1002.
     */
    int rsvBits();

    /**
     * Decodes a received frame.
     *
     * @param frame the frame as parsed (unmasked)
     * @param maxMessageSize how many more payload bytes the current message may hold after decoding,
     *     or {@code Long.MAX_VALUE} without a limit; exceeding it must throw {@link PayloadTooBigException}
     *     before allocating beyond it
     * @return the decoded frame
     * @throws WebSocketProtocolException when the frame breaks the extension's rules (1002, 1007, 1009…)
     */
    Frame decode(Frame frame, long maxMessageSize);

    /**
     * Encodes a frame to send.
     *
     * @param frame the frame the application sends
     * @param compress {@code false} when the application asked for this message to be sent as is;
     *     extensions that do not compress ignore it. It is given with every frame of a message and is the
     *     same for all of them.
     * @return the encoded frame
     */
    Frame encode(Frame frame, boolean compress);

    /** Releases resources (such as native zlib memory). Called once; idempotent. */
    @Override
    void close();

    /**
     * The largest wire payload of one frame of a message this extension transformed (a frame with one of its
     * {@linkplain #rsvBits() RSV bits}, or a continuation of such a message) when the message decodes to at
     * most {@code maxMessageSize} bytes: the receiver's frame limit for such frames, checked from the frame
     * header before the payload is buffered. By default {@code maxMessageSize}: the transformation does not
     * make data larger. A compressing extension answers the most its compression can expand data.
     *
     * @param maxMessageSize the largest message after decoding, at least 1
     * @return the frame limit, at least {@code maxMessageSize}
     */
    default long maxEncodedFrameLength(long maxMessageSize) {
        return maxMessageSize;
    }
}
