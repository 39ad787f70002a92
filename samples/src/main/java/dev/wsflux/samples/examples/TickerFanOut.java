package dev.wsflux.samples.examples;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Stream composition: one hot ticker shared by every session, each session choosing its own pace. A
 * client that connects with {@code ?mode=latest} gets the latest tick once per {@code period}
 * ({@link Flux#sample(Duration)}: a slow reader never falls behind, it just skips); any other client gets
 * every tick, in batches of one {@code period} ({@link Flux#buffer(Duration)}: nothing lost, fewer
 * messages). The ticker itself runs once however many sessions there are.
 *
 * <pre>{@code
 * Flux<String> prices = Flux.interval(Duration.ofMillis(100)).map(i -> "tick " + i);
 * WebSocketServer.create().port(8080).route("/ticks", new TickerFanOut(prices, Duration.ofSeconds(1))).bindNow();
 * }</pre>
 *
 * <p>Thread-safe; one instance serves every session.
 */
public final class TickerFanOut implements Function<WebSocketSession, Mono<Void>> {
    private final Flux<String> ticks;
    private final Duration period;

    /**
     * Fans {@code ticker} out to every session.
     *
     * @param ticker the ticks, subscribed once while at least one session listens
     * @param period how often each session gets a message
     */
    public TickerFanOut(Flux<String> ticker, Duration period) {
        this.ticks = ticker.share();
        this.period = period;
    }

    @Override
    public Mono<Void> apply(WebSocketSession session) {
        boolean latestOnly = session.handshakeRequest().path().contains("mode=latest");
        Flux<String> paced = latestOnly
                ? ticks.sample(period)
                : ticks.buffer(period).filter(batch -> !batch.isEmpty()).map(TickerFanOut::join);
        // Stop when the client goes away: the session's inbound side completes on close.
        return session.send(paced.map(Message::text).takeUntilOther(session.receive().then()));
    }

    private static String join(List<String> batch) {
        return batch.stream().collect(Collectors.joining(","));
    }
}
