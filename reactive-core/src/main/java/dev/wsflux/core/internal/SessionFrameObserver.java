package dev.wsflux.core.internal;

import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.FrameObserver;
import dev.wsflux.protocol.Protocol;
import dev.wsflux.protocol.frames.Opcode;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * The protocol's {@link FrameObserver} for one connection that an engine runs: logs each frame to the
 * {@link FrameTrace} when the connection is traced, then hands it to the application's observer of the
 * session, made on the first frame by the client's or server's {@code frameObserver} function. Exists only
 * for connections that need it ({@link #forNewConnection}). Confined to the connection's event loop, like the
 * protocol that calls it.
 */
final class SessionFrameObserver implements FrameObserver {
    private final boolean trace;
    private final Function<? super WebSocketSession, ? extends FrameObserver> observerFor;
    /** The session, bound by its engine before any frame; {@code null} before. */
    private Session session;
    /** The application's observer of this session, once asked for; {@code null} for none. */
    private FrameObserver application;

    private boolean asked;

    private SessionFrameObserver(
            boolean trace, Function<? super WebSocketSession, ? extends FrameObserver> observerFor) {
        this.trace = trace;
        this.observerFor = observerFor;
    }

    /**
     * The observer to build a new connection's protocol with: {@code null} (nothing to call per frame) unless
     * the frame trace is on now or {@code observerFor} is given.
     */
    static FrameObserver forNewConnection(Function<? super WebSocketSession, ? extends FrameObserver> observerFor) {
        boolean trace = FrameTrace.enabled();
        return trace || observerFor != null ? new SessionFrameObserver(trace, observerFor) : null;
    }

    /** Binds {@code protocol}'s observer, when it is one of these, to the session its engine made. */
    static void bind(Protocol protocol, Session session) {
        if (protocol.frameObserver() instanceof SessionFrameObserver observer) {
            observer.session = session;
        }
    }

    @Override
    public void onFrame(Direction direction, Opcode opcode, boolean fin, int rsvBits, ByteBuffer payload) {
        Session current = session;
        if (current == null) {
            return; // a protocol driven without an engine: nothing to name or to hand frames to
        }
        if (trace) {
            FrameTrace.log(current.id(), direction, opcode, fin, rsvBits, payload);
        }
        if (observerFor != null) {
            if (!asked) {
                asked = true;
                application = observerFor.apply(current);
            }
            if (application != null) {
                application.onFrame(direction, opcode, fin, rsvBits, payload);
            }
        }
    }
}
