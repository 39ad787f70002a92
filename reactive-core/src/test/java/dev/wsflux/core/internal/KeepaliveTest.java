package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.SessionOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Keepalive pings on virtual time, against a recording engine. */
class KeepaliveTest {
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<ByteBuffer> pings = new ArrayList<>();
    private int timeouts;
    private final Keepalive.Pinger pinger = new Keepalive.Pinger() {
        @Override
        public boolean canPing() {
            return true;
        }

        @Override
        public void sendPing(ByteBuffer payload) {
            pings.add(payload);
        }

        @Override
        public void pingTimedOut() {
            timeouts++;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public Throwable notOpen() {
            return new IllegalStateException("closed");
        }
    };
    private final Keepalive keepalive = new Keepalive(
            pinger,
            SessionOptions.builder()
                    .timer(time)
                    .pingInterval(Duration.ofSeconds(20))
                    .pingTimeout(Duration.ofSeconds(20))
                    .build());

    @AfterEach
    void stop() {
        keepalive.stop(new IllegalStateException("test over"));
        time.dispose();
    }

    @Test
    void noSecondPingGoesOutWhileTheFirstWaitsNotEvenAtTheTimeoutsInstant() {
        keepalive.start();
        time.advanceTimeBy(Duration.ofSeconds(20));
        assertEquals(1, pings.size());
        // interval == timeout: the next tick and the timeout fall on the same instant.
        time.advanceTimeBy(Duration.ofSeconds(20));
        assertEquals(1, timeouts);
        assertEquals(1, pings.size(), "a peer about to be declared dead gets no second ping");
    }

    @Test
    void aPongLetsTheNextIntervalPingAgain() {
        keepalive.start();
        time.advanceTimeBy(Duration.ofSeconds(20));
        keepalive.onPong(pings.get(0).duplicate());
        assertEquals(0, keepalive.pendingPings());
        time.advanceTimeBy(Duration.ofSeconds(20));
        assertEquals(2, pings.size());
        assertEquals(0, timeouts);
        assertTrue(keepalive.latency().isZero(), "the pong came at once on virtual time");
    }
}
