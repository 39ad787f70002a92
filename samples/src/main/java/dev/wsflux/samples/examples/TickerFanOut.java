package dev.wsflux.samples.examples;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import java.time.Duration;
import java.util.function.Function;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Stream composition: one hot ticker shared by every session, each session choosing its own pace. A
 * client that connects with {@code ?mode=latest} gets the latest tick once per {@code period}
 * ({@link Flux#sample(Duration)}: a slow reader never falls behind, it skips); any other client gets every
 * tick, in batches of one {@code period} ({@link Flux#buffer(Duration)}: nothing lost, fewer messages).
 * The ticker runs once however many sessions listen.
 *
 * <pre>{@code
 * Flux<String> prices = Flux.interval(Duration.ofMillis(100)).map(i -> "tick " + i);
 * WebSocketServer.create().port(8080).route("/ticks", new TickerFanOut(prices, Duration.ofSeconds(1))).bindNow();
 * }</pre>
 *
 * <p>Thread-safe; one instance serves every session.
 */
public final class TickerFanOut implements Function<WebSocketSession, Mono<Void>> {
    /** How a session is paced. */
    public enum Pace {
        /** Every tick, joined with commas, once per period. */
        BATCHED,
        /** Only the latest tick of each period. */
        LATEST
    }

    /** How many paced messages wait for a slow socket before the oldest is dropped. */
    static final int MAX_PENDING = 64;

    private final Flux<String> ticks;
    private final Duration period;
    private final Scheduler timer;

    /** Fans {@code ticker} out, pacing on {@link Schedulers#parallel()}. */
    public TickerFanOut(Flux<String> ticker, Duration period) {
        this(ticker, period, Schedulers.parallel());
    }

    /**
     * Fans {@code ticker} out to every session.
     *
     * @param ticker the ticks, subscribed once while at least one session listens
     * @param period how often each session gets a message
     * @param timer the scheduler of the periods (a {@code VirtualTimeScheduler} in tests)
     */
    public TickerFanOut(Flux<String> ticker, Duration period, Scheduler timer) {
        this.ticks = ticker.share();
        this.period = period;
        this.timer = timer;
    }

    /** The shared ticks at one session's pace. */
    public Flux<String> paced(Pace pace) {
        if (pace == Pace.LATEST) {
            return ticks.sample(Flux.interval(period, timer));
        }
        return ticks.buffer(period, timer).filter(batch -> !batch.isEmpty()).map(batch -> String.join(",", batch));
    }

    @Override
    public Mono<Void> apply(WebSocketSession session) {
        Pace pace = session.handshakeRequest().path().contains("mode=latest") ? Pace.LATEST : Pace.BATCHED;
        // Time-driven operators cannot wait for demand: while the socket is slow (send() requests only while
        // the outbound buffer is under writeLimit), keep at most MAX_PENDING messages, dropping the oldest.
        // Stop when the client goes away: the session's inbound side completes on close.
        return session.send(paced(pace)
                .onBackpressureBuffer(MAX_PENDING, dropped -> {}, BufferOverflowStrategy.DROP_OLDEST)
                .map(Message::text)
                .takeUntilOther(session.receive().then()));
    }
}
