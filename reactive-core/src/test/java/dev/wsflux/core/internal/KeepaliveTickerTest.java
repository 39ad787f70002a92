package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class KeepaliveTickerTest {
    private static final long INTERVAL = Duration.ofSeconds(20).toNanos();

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<String> ticks = new ArrayList<>();

    /** Records "name@seconds" on every tick. */
    private final class Recorder extends KeepaliveTicker.Member {
        private final String name;

        Recorder(String name) {
            this.name = name;
        }

        @Override
        void tick() {
            ticks.add(name + "@" + time.now(TimeUnit.MILLISECONDS) / 1000.0);
        }
    }

    @AfterEach
    void dispose() {
        time.dispose();
    }

    private void advanceSeconds(double seconds) {
        time.advanceTimeBy(Duration.ofMillis((long) (seconds * 1000)));
    }

    @Test
    void aMemberTicksOneIntervalAfterJoiningThenEveryInterval() {
        Recorder a = new Recorder("a");
        KeepaliveTicker.join(a, time, INTERVAL);

        advanceSeconds(19.999);
        assertEquals(List.of(), ticks);
        advanceSeconds(0.001);
        assertEquals(List.of("a@20.0"), ticks);
        advanceSeconds(40);
        assertEquals(List.of("a@20.0", "a@40.0", "a@60.0"), ticks);
        KeepaliveTicker.leave(a);
    }

    @Test
    void membersTickAtTheirOwnDeadlinesInOrder() {
        Recorder a = new Recorder("a");
        Recorder b = new Recorder("b");
        Recorder c = new Recorder("c");
        KeepaliveTicker.join(a, time, INTERVAL);
        advanceSeconds(5);
        KeepaliveTicker.join(b, time, INTERVAL);
        KeepaliveTicker.join(c, time, INTERVAL);
        advanceSeconds(12.5);
        KeepaliveTicker.leave(c);

        advanceSeconds(42.5); // to t = 60 s

        assertEquals(List.of("a@20.0", "b@25.0", "a@40.0", "b@45.0", "a@60.0"), ticks);
        KeepaliveTicker.leave(a);
        KeepaliveTicker.leave(b);
    }

    @Test
    void whenTheHeadLeavesTheOthersStillTickOnTime() {
        Recorder a = new Recorder("a");
        Recorder b = new Recorder("b");
        KeepaliveTicker.join(a, time, INTERVAL);
        advanceSeconds(1);
        KeepaliveTicker.join(b, time, INTERVAL);
        KeepaliveTicker.leave(a);

        advanceSeconds(40);

        assertEquals(List.of("b@21.0", "b@41.0"), ticks);
        KeepaliveTicker.leave(b);
    }

    @Test
    void membersDueAtTheSameTimeAllTickOnce() {
        List<Recorder> members = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Recorder member = new Recorder("m");
            members.add(member);
            KeepaliveTicker.join(member, time, INTERVAL);
        }

        advanceSeconds(20);
        assertEquals(1000, ticks.size());
        advanceSeconds(19);
        assertEquals(1000, ticks.size());
        advanceSeconds(1);
        assertEquals(2000, ticks.size());
        members.forEach(KeepaliveTicker::leave);
    }

    @Test
    void theLastMemberToLeaveRetiresTheTickerAndALaterOneStartsAFreshOne() {
        Recorder a = new Recorder("a");
        KeepaliveTicker.join(a, time, INTERVAL);
        assertTrue(KeepaliveTicker.isTicking(time, INTERVAL));

        KeepaliveTicker.leave(a);
        KeepaliveTicker.leave(a); // leaving twice is harmless
        assertFalse(KeepaliveTicker.isTicking(time, INTERVAL));
        advanceSeconds(60);
        assertEquals(List.of(), ticks);

        KeepaliveTicker.join(a, time, INTERVAL);
        advanceSeconds(20);
        assertEquals(List.of("a@80.0"), ticks);
        KeepaliveTicker.leave(a);
        assertFalse(KeepaliveTicker.isTicking(time, INTERVAL));
    }

    @Test
    void differentIntervalsOnOneTimerTickIndependently() {
        Recorder a = new Recorder("a");
        Recorder b = new Recorder("b");
        KeepaliveTicker.join(a, time, INTERVAL);
        KeepaliveTicker.join(b, time, Duration.ofSeconds(15).toNanos());

        advanceSeconds(30);

        assertEquals(List.of("b@15.0", "a@20.0", "b@30.0"), ticks);
        KeepaliveTicker.leave(a);
        KeepaliveTicker.leave(b);
    }

    @Test
    void aMemberWhoseTickFailsDoesNotStopTheOthers() {
        KeepaliveTicker.Member failing = new KeepaliveTicker.Member() {
            @Override
            void tick() {
                throw new IllegalStateException("boom");
            }
        };
        Recorder b = new Recorder("b");
        KeepaliveTicker.join(failing, time, INTERVAL);
        KeepaliveTicker.join(b, time, INTERVAL);

        advanceSeconds(40);

        assertEquals(List.of("b@20.0", "b@40.0"), ticks);
        KeepaliveTicker.leave(failing);
        KeepaliveTicker.leave(b);
    }

    @Test
    void joiningTwiceOrWithoutAnIntervalIsRefused() {
        Recorder a = new Recorder("a");
        assertThrows(IllegalArgumentException.class, () -> KeepaliveTicker.join(a, time, 0));
        KeepaliveTicker.join(a, time, INTERVAL);
        assertThrows(IllegalStateException.class, () -> KeepaliveTicker.join(a, time, INTERVAL));
        KeepaliveTicker.leave(a);
    }
}
