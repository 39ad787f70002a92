package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.wsflux.protocol.FrameObserver;
import dev.wsflux.protocol.frames.Opcode;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Sessions are observed through the protocol only when someone listens; the sessions' frames: see the ITs. */
class SessionFrameObserverTest {

    @Test
    void aConnectionWithoutTraceOrApplicationObserverHasNoObserverAtAll() {
        if (!FrameTrace.enabled()) {
            assertNull(SessionFrameObserver.forNewConnection(null), "nothing to call per frame");
        }
    }

    @Test
    void anApplicationObserverIsAskedForOnlyOnceBoundToASession() {
        FrameObserver observer = SessionFrameObserver.forNewConnection(session -> {
            throw new AssertionError("asked for an observer without a session");
        });
        assertInstanceOf(SessionFrameObserver.class, observer);
        // a protocol driven without an engine: the frame goes nowhere
        observer.onFrame(FrameObserver.Direction.SENT, Opcode.PING, true, 0, ByteBuffer.allocate(0));
    }
}
