package dev.wsflux.conformance;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads WebSocket frames off a blocking stream for the conformance peer. It reports what is on the wire
 * (mask bit, reserved bits, reserved opcodes) without judging it: the peer grades the testee, so the
 * rules live in {@link PeerConnection}. Not thread-safe: one reader thread per connection.
 *
 * <p>See <a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.2">RFC 6455 §5.2</a>.
 */
public final class FrameReader {

    /** A frame as read, with the mask bit the testee set. */
    public record ReadFrame(WireFrame frame, boolean masked) {}

    /** The largest payload the peer accepts in one frame: 9.x echoes messages of 16 MiB, plus headroom. */
    static final long MAX_PAYLOAD = 64L << 20; // 64 MiB

    private final InputStream in;

    /** Reads from {@code in}, which should be buffered. */
    public FrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next frame.
     *
     * @return the frame, or {@code null} on a clean end of stream between frames
     * @throws EOFException when the stream ends inside a frame
     * @throws IOException on a socket error or an absurd length
     */
    public ReadFrame next() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte();
        boolean masked = (b1 & 0x80) != 0;
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("frame length out of range: " + length);
        }
        byte[] mask = masked ? in.readNBytes(4) : null;
        if (mask != null && mask.length < 4) {
            throw new EOFException("stream ended inside a mask key");
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("stream ended inside a payload: " + payload.length + " of " + length + " bytes");
        }
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        WireFrame frame = new WireFrame(b0 & 0x0F, (b0 & 0x80) != 0, (b0 >>> 4) & 0x7, payload);
        return new ReadFrame(frame, masked);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside a frame header");
        }
        return b;
    }
}
