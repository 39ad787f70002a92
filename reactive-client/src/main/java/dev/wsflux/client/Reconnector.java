package dev.wsflux.client;

import dev.wsflux.core.WebSocketSession;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * The reconnect loop behind {@link WebSocketClient#sessions(java.net.URI)}, after the
 * {@code async for websocket in connect(...)} loop of Python {@code websockets}. Stateless; each
 * subscription runs its own loop.
 *
 * <p>The loop connects; a failure that {@link ReconnectOptions#retryIf()} accepts waits the next backoff
 * delay and tries again, any other failure ends the {@code Flux} with that error. A session that opens is
 * emitted, the backoff is reset, and when that session closes (cleanly or not) the loop connects again at
 * once. Cancelling the {@code Flux} stops the loop; a session already emitted stays open and is the
 * subscriber's to close.
 */
final class Reconnector {
    private Reconnector() {}

    /**
     * The sessions, one after the other.
     *
     * @param connect makes one connection attempt
     * @param options the backoff and retry predicate
     * @param timer the scheduler of the backoff delays
     * @param random the source of the random first delay
     * @param onRetry told of each retryable failure and the delay before the next attempt
     */
    static Flux<WebSocketSession> sessions(
            Supplier<Mono<WebSocketSession>> connect,
            ReconnectOptions options,
            Scheduler timer,
            Random random,
            BiConsumer<Throwable, Duration> onRetry) {
        return Flux.defer(() -> {
            // null while the last attempt succeeded: the next failure starts a fresh sequence.
            AtomicReference<ReconnectOptions.Backoff> backoff = new AtomicReference<>();
            Mono<WebSocketSession> attempt = Mono.defer(connect)
                    .retryWhen(Retry.from(failures -> failures.concatMap(failure -> {
                        Throwable error = failure.failure();
                        if (!options.retryIf().test(error)) {
                            return Mono.error(error);
                        }
                        Duration delay = backoff.updateAndGet(b -> b != null ? b : options.newBackoff(random))
                                .next();
                        onRetry.accept(error, delay);
                        return Mono.delay(delay, timer);
                    })))
                    .doOnNext(session -> backoff.set(null));
            return attempt.flatMapMany(Reconnector::untilClosed).repeat();
        });
    }

    /** Emits the session, then completes when it is closed. */
    private static Flux<WebSocketSession> untilClosed(WebSocketSession session) {
        return Mono.just(session)
                .concatWith(
                        session.closeStatus().onErrorResume(e -> Mono.empty()).then(Mono.<WebSocketSession>empty()));
    }
}
