package dev.wsflux.client;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.InvalidStateException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A running {@link WebSocketClient#listen(java.net.URI, WebSocketListener, boolean)}: sends on the current
 * connection and stops. Thread-safe.
 */
public final class Listening implements AutoCloseable {
    private final AtomicReference<WebSocketSession> current = new AtomicReference<>();
    private final Sinks.Empty<Void> done = Sinks.empty();
    private volatile Disposable subscription;

    Listening() {}

    void start(Disposable subscription) {
        this.subscription = subscription;
    }

    void opened(WebSocketSession session) {
        current.set(session);
    }

    void finished() {
        done.tryEmitEmpty();
    }

    /** The current connection, or {@code null} before the first opens. */
    public WebSocketSession session() {
        return current.get();
    }

    /** Sends a text message on the current connection and waits until it was written. */
    public void send(String text) {
        send(Message.text(text));
    }

    /**
     * Sends {@code message} on the current connection and waits until it was written.
     *
     * @throws InvalidStateException when no connection is open
     */
    public void send(Message message) {
        WebSocketSession session = current.get();
        if (session == null || !session.isOpen()) {
            throw new InvalidStateException("no open connection to send on");
        }
        BlockingWebSocket.await(session.send(message));
    }

    /**
     * Waits until listening ends: the connection closed (without reconnection), a failure was not retried,
     * or {@link #close()} was called.
     *
     * @return whether it ended within {@code timeout}
     */
    public boolean await(Duration timeout) {
        return done.asMono()
                .then(Mono.just(true))
                .timeout(timeout, Mono.just(false))
                .blockOptional()
                .orElse(false);
    }

    /** Stops reconnecting and closes the current connection with 1000, waiting for the closing handshake. */
    @Override
    public void close() {
        Disposable running = subscription;
        if (running != null) {
            running.dispose();
        }
        WebSocketSession session = current.get();
        if (session != null) {
            BlockingWebSocket.await(session.close(CloseCodes.NORMAL_CLOSURE, ""));
        }
        done.tryEmitEmpty();
    }
}
