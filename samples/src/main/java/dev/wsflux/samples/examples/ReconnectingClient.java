package dev.wsflux.samples.examples;

import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import java.net.URI;
import reactor.core.publisher.Flux;

/**
 * A client that stays connected: {@link WebSocketClient#sessions(URI)} emits a new session each time the
 * previous one closes, with the backoff of Python {@code websockets} between failed attempts (first a
 * random 0–5 s, then 3.1 s growing by 1.618 up to 90 s). A 4xx answer stops it: retrying cannot help.
 *
 * <pre>{@code
 * new ReconnectingClient(WebSocketClient.create()).messages(URI.create("wss://example.com/feed"))
 *         .subscribe(text -> System.out.println(text));
 * }</pre>
 *
 * <p>Thread-safe; each subscription to {@link #messages(URI)} runs its own loop.
 */
public final class ReconnectingClient {
    private final WebSocketClient client;

    /** Reconnects with {@code client}'s options and backoff. */
    public ReconnectingClient(WebSocketClient client) {
        this.client = client;
    }

    /**
     * The text of every message from {@code uri}, across reconnections, until cancelled. Each session says
     * hello first. A session that ends with an error is replaced like one that closed cleanly.
     */
    public Flux<String> messages(URI uri) {
        return client.sessions(uri).concatMap(session -> session.send(Message.text("hello"))
                .thenMany(session.receive())
                .filter(Message::isText)
                .map(Message::text)
                .onErrorResume(error -> Flux.empty()));
    }
}
