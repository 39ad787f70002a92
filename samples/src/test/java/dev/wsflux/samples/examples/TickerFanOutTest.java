package dev.wsflux.samples.examples;

import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.test.WebSocketTestPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Virtual time: a ticker every 300 ms paced to one message per second, checked in microseconds. The
 * ticks at 300, 600 and 900 ms fall in the first second, those at 1200, 1500 and 1800 ms in the second.
 */
class TickerFanOutTest {
    private static final Duration TICK = Duration.ofMillis(300);
    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void batchedPaceDeliversEveryTickOncePerPeriod() {
        StepVerifier.withVirtualTime(() -> fanOut(VirtualTimeScheduler.get())
                        .paced(TickerFanOut.Pace.BATCHED)
                        .take(2))
                .expectSubscription()
                .expectNoEvent(SECOND)
                .expectNext("tick 0,tick 1,tick 2")
                .thenAwait(SECOND)
                .expectNext("tick 3,tick 4,tick 5")
                .verifyComplete();
    }

    @Test
    void latestPaceSkipsToTheNewestTick() {
        StepVerifier.withVirtualTime(() -> fanOut(VirtualTimeScheduler.get())
                        .paced(TickerFanOut.Pace.LATEST)
                        .take(2))
                .expectSubscription()
                .expectNoEvent(SECOND)
                .expectNext("tick 2")
                .thenAwait(SECOND)
                .expectNext("tick 5")
                .verifyComplete();
    }

    @Test
    void sessionsReceiveTheirPaceOverTheWire() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        try (WebSocketTestPair pair =
                WebSocketTestPair.createNow(SessionOptions.builder().timer(time).build())) {
            fanOut(time).apply(pair.server()).subscribe(null, aborted -> {});
            StepVerifier.create(pair.client().receive().map(Message::text).take(2))
                    .then(() -> time.advanceTimeBy(SECOND.multipliedBy(2)))
                    .expectNext("tick 0,tick 1,tick 2", "tick 3,tick 4,tick 5")
                    .expectComplete()
                    .verify(Duration.ofSeconds(5));
        }
    }

    private static TickerFanOut fanOut(VirtualTimeScheduler time) {
        return new TickerFanOut(Flux.interval(TICK, time).map(i -> "tick " + i), SECOND, time);
    }
}
