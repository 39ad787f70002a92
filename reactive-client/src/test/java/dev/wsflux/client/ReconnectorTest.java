package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Response;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ReconnectorTest {
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final Deque<Object> outcomes = new ArrayDeque<>();
    private final List<Duration> attemptTimes = new ArrayList<>();
    private final List<Duration> announcedDelays = new ArrayList<>();

    /** One attempt: takes the next outcome, a session or an error, and records when it was made. */
    private final Supplier<Mono<WebSocketSession>> connect = () -> {
        attemptTimes.add(Duration.ofMillis(clock.now(TimeUnit.MILLISECONDS)));
        Object outcome = outcomes.remove();
        return outcome instanceof Throwable error ? Mono.error(error) : Mono.just((WebSocketSession) outcome);
    };

    private Flux<WebSocketSession> sessions(ReconnectOptions options) {
        return Reconnector.sessions(
                connect, options, clock, new Random(0), (error, delay) -> announcedDelays.add(delay));
    }

    private static InvalidStatusException status(int code) {
        return new InvalidStatusException(new Response(code, "x", Headers.empty(), new byte[0]));
    }

    private static Duration firstDelay(Random random) {
        return Duration.ofNanos((long) (random.nextDouble() * 5e9));
    }

    @Nested
    class Backoff {
        @Test
        void waitsTheBackoffDelaysBetweenFailedAttemptsAndResetsAfterASession() {
            FakeSession first = new FakeSession("first");
            FakeSession second = new FakeSession("second");
            outcomes.addAll(List.of(
                    new ConnectException("refused"),
                    new ConnectException("refused"),
                    new ConnectException("refused"),
                    first,
                    new ConnectException("refused"),
                    second));
            Random draws = new Random(0);
            Duration d1 = firstDelay(draws);
            Duration d2 = Duration.ofMillis(3100);
            Duration d3 = Duration.ofNanos(Math.round(3.1 * 1.618 * 1e9));
            Duration reset = firstDelay(draws);

            StepVerifier.withVirtualTime(() -> sessions(ReconnectOptions.defaults()), () -> clock, Long.MAX_VALUE)
                    .expectSubscription()
                    .thenAwait(d1.plus(d2).plus(d3))
                    .expectNext(first)
                    .thenAwait(Duration.ofSeconds(60))
                    .then(first::drop)
                    .thenAwait(reset)
                    .expectNext(second)
                    .thenCancel()
                    .verify(Duration.ofSeconds(5));

            Duration opened = d1.plus(d2).plus(d3);
            Duration dropped = opened.plusSeconds(60);
            assertEquals(List.of(d1, d2, d3, reset), announcedDelays);
            assertEquals(
                    List.of(
                            Duration.ZERO,
                            millis(d1),
                            millis(d1.plus(d2)),
                            millis(opened),
                            millis(dropped),
                            millis(dropped.plus(reset))),
                    attemptTimes);
        }

        @Test
        void reconnectsAtOnceWhenAnOpenSessionIsLost() {
            FakeSession first = new FakeSession("first");
            FakeSession second = new FakeSession("second");
            outcomes.addAll(List.of(first, second));
            StepVerifier.withVirtualTime(() -> sessions(ReconnectOptions.defaults()), () -> clock, Long.MAX_VALUE)
                    .expectNext(first)
                    .then(first::drop)
                    .expectNext(second)
                    .thenCancel()
                    .verify(Duration.ofSeconds(5));
            assertEquals(List.of(Duration.ZERO, Duration.ZERO), attemptTimes);
            assertEquals(List.of(), announcedDelays);
        }

        private Duration millis(Duration duration) {
            return Duration.ofMillis(duration.toMillis());
        }
    }

    @Nested
    class RetryPredicate {
        @Test
        void aForbiddenAnswerStopsTheRetries() {
            InvalidStatusException forbidden = status(403);
            outcomes.addAll(List.of(status(503), forbidden));
            StepVerifier.withVirtualTime(() -> sessions(ReconnectOptions.defaults()), () -> clock, Long.MAX_VALUE)
                    .expectSubscription()
                    .thenAwait(Duration.ofSeconds(5))
                    .expectErrorSatisfies(e -> assertEquals(forbidden, e))
                    .verify(Duration.ofSeconds(5));
            assertEquals(2, attemptTimes.size());
            assertEquals(1, announcedDelays.size());
        }

        @Test
        void aCustomPredicateDecides() {
            outcomes.addAll(List.of(new ConnectException("refused")));
            StepVerifier.withVirtualTime(
                            () -> sessions(ReconnectOptions.defaults().withRetryIf(e -> false)),
                            () -> clock,
                            Long.MAX_VALUE)
                    .expectError(ConnectException.class)
                    .verify(Duration.ofSeconds(5));
            assertEquals(List.of(), announcedDelays);
        }
    }
}
