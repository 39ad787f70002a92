package dev.wsflux.protocol;

import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.Opcode;
import java.nio.ByteBuffer;

/**
 * Observes every frame a connection sends and receives, as Python {@code websockets} logs {@code > PONG}
 * and {@code < CLOSE} from its protocol: data frames and control frames alike, including the Pong and Close
 * frames the {@link Protocol} writes on its own (the Pong that answers a Ping, the Close that answers the
 * peer's, the Close that fails the connection). Given to {@link ClientProtocol.Builder#frameObserver} or
 * {@link ServerProtocol.Builder#frameObserver}; sessions take one from their client's or server's builder.
 *
 * <p>What it sees:
 *
 * <ul>
 *   <li><b>Received frames</b>, in order, as soon as each is parsed and decoded by the negotiated extensions,
 *       before the protocol acts on it: a Ping is observed before the Pong that answers it, and a Close frame
 *       with an invalid code is observed before the connection fails. Frames refused before they are whole
 *       are not observed: from their header (too big, unexpected RSV bits), or while they arrive (uncompressed
 *       text is checked as UTF-8 byte by byte); nor is input discarded after a failure or a Close.
 *   <li><b>Sent frames</b>, in the order they are queued for the socket, once serialized.
 *   <li>The <b>payload</b> as the application sees it: after decompression for received frames, before
 *       compression for sent ones. The <b>RSV bits</b> are those on the wire: RSV1 set means that the frame
 *       was compressed by permessage-deflate.
 * </ul>
 *
 * <p>Threading: called on the thread that calls the protocol; in a session, the connection's event loop, in
 * the middle of the protocol's work. So it must not block, and must not call back into the protocol or the
 * session it observes (hand the information to another thread or queue to act on it). It must not throw
 * either: an exception it throws is treated as an internal error, the connection fails with 1011 and the
 * exception is its {@linkplain Protocol#failureCause() cause}; the observer is not called again.
 *
 * <p>Cost: a protocol without an observer makes no call and allocates nothing per frame. With one, each
 * frame costs the call and one read-only view of its payload.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.2">RFC 6455 §5.2 Base Framing Protocol</a>
 */
@FunctionalInterface
public interface FrameObserver {

    /** Whether a frame came from the peer or goes to it. */
    enum Direction {
        /** Received from the peer ({@code <} in traces). */
        RECEIVED,
        /** Sent to the peer ({@code >} in traces). */
        SENT
    }

    /**
     * One frame was received or sent.
     *
     * @param direction whether the frame was received or sent
     * @param opcode the frame's opcode
     * @param fin whether the frame ends its message (always {@code true} for control frames)
     * @param rsvBits the RSV bits on the wire, as {@link Frame#rsvBits()} numbers them: RSV1 = {@code 0b100},
     *     RSV2 = {@code 0b010}, RSV3 = {@code 0b001}
     * @param payload a read-only view of the payload, from its position to its limit (decompressed), valid only
     *     during this call: the bytes behind it may be reused afterwards, so copy what you keep
     */
    void onFrame(Direction direction, Opcode opcode, boolean fin, int rsvBits, ByteBuffer payload);
}
