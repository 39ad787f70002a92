package dev.wsflux.client;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.ConnectionClosedOkException;
import dev.wsflux.protocol.frames.WebSocketException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * A WebSocket connection with blocking methods, for code that does not use Reactor: the
 * {@code websockets.sync.client} API of Python {@code websockets} in Java. A thin layer over a
 * {@link WebSocketSession} from {@link WebSocketClient}.
 *
 * <pre>{@code
 * try (BlockingWebSocket ws = BlockingWebSocket.connect(URI.create("ws://localhost:8765/"))) {
 *     ws.send("Hello world!");
 *     Message reply = ws.recv();
 *     for (Message message : ws) {   // until the server closes the connection cleanly
 *         System.out.println(message.text());
 *     }
 * }
 * }</pre>
 *
 * <p>Thread safety: {@code send}, {@code ping} and {@code close} may be called from several threads at
 * once (each message is sent whole, in call order per thread); one {@code recv} at a time (a second
 * concurrent {@code recv} fails with {@link IllegalStateException}). The methods block the calling thread,
 * which may be a platform or a virtual thread; never call them on a Reactor event loop thread.
 *
 * <p>Flow control: one received message at most waits here for {@code recv}; the session's
 * {@code maxQueue} bounds the rest, so a program that stops calling {@code recv} stops reading from the
 * socket.
 *
 * <p>Errors are unchecked: {@link ConnectionClosedException} when the connection is closed (its
 * {@link ConnectionClosedOkException} subtype after a clean close); from {@link #connect}, the errors of
 * {@link WebSocketClient#connect}: {@link ConnectFailedException} when the server cannot be reached (refused,
 * unknown host, TLS), the {@link dev.wsflux.protocol.http11.InvalidHandshakeException} family and
 * {@link OpenTimeoutException}; and {@link UncheckedIOException} for any other I/O error.
 */
public final class BlockingWebSocket implements AutoCloseable, Iterable<Message> {
    /** What {@link #recv()} waits for: a message, or the end of the stream. */
    private static final Object END = new Object();

    private final WebSocketSession session;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final ReentrantLock receiving = new ReentrantLock();
    private volatile Subscription subscription;
    private volatile Throwable failure;

    private BlockingWebSocket(WebSocketSession session) {
        this.session = session;
        session.receive().subscribe(new Inbox());
    }

    /** Connects with the default client; see {@link #connect(URI, WebSocketClient)}. */
    public static BlockingWebSocket connect(URI uri) {
        return connect(uri, WebSocketClient.create());
    }

    /**
     * Connects to {@code uri} with {@code client}'s options (headers, subprotocols, TLS, proxy, session
     * options…) and waits until the connection is open, at most the client's {@code openTimeout}.
     */
    public static BlockingWebSocket connect(URI uri, WebSocketClient client) {
        return wrap(await(client.connect(uri)));
    }

    /** Blocking access to an open {@code session}; it must not have a {@code receive()} subscriber yet. */
    public static BlockingWebSocket wrap(WebSocketSession session) {
        return new BlockingWebSocket(Objects.requireNonNull(session, "session"));
    }

    /** The underlying session: its subprotocol, extensions, addresses and handshake. */
    public WebSocketSession session() {
        return session;
    }

    /** Sends a text message and waits until it was written. */
    public void send(String text) {
        send(Message.text(text));
    }

    /** Sends a binary message (a copy of {@code bytes}) and waits until it was written. */
    public void send(byte[] bytes) {
        send(Message.binary(bytes));
    }

    /** Sends the remaining bytes of {@code bytes} as a binary message and waits until it was written. */
    public void send(ByteBuffer bytes) {
        send(Message.binary(bytes));
    }

    /** Sends {@code message} and waits until it was written. */
    public void send(Message message) {
        await(session.send(message));
    }

    /**
     * Waits for the next message.
     *
     * @throws ConnectionClosedException once the connection is closed and every message before the close
     *     was received ({@link ConnectionClosedOkException} after a clean close)
     */
    public Message recv() {
        return receive(-1).orElseThrow();
    }

    /**
     * Waits at most {@code timeout} for the next message. A message that arrives after the timeout is not
     * lost: the next {@code recv} returns it.
     *
     * @return the message, or empty when none arrived in time
     * @throws ConnectionClosedException as {@link #recv()}
     */
    public Optional<Message> recv(Duration timeout) {
        return receive(Math.max(0, timeout.toNanos()));
    }

    private Optional<Message> receive(long timeoutNanos) {
        if (!receiving.tryLock()) {
            throw new IllegalStateException("another thread is already waiting in recv()");
        }
        try {
            Object next = timeoutNanos < 0 ? inbox.take() : inbox.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            if (next == null) {
                return Optional.empty();
            }
            if (next == END) {
                inbox.add(END); // every later recv sees the end too
                throw closed();
            }
            subscription.request(1);
            return Optional.of((Message) next);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebSocketException("interrupted while waiting for a message", e);
        } finally {
            receiving.unlock();
        }
    }

    /** The exception that ends reception: the session's error, or its clean close details. */
    private RuntimeException closed() {
        Throwable error = failure;
        if (error instanceof RuntimeException runtime) {
            return runtime;
        }
        if (error != null) {
            return new WebSocketException("connection failed: " + error, error);
        }
        return await(session.closeDetails());
    }

    /** Sends a Ping and waits for its Pong: the round-trip time. */
    public Duration ping() {
        return await(session.ping());
    }

    /** Closes with {@code code} and {@code reason} and waits until the closing handshake is done. */
    public void close(int code, String reason) {
        await(session.close(code, reason));
    }

    /** Closes with 1000 (normal closure); see {@link #close(int, String)}. Does nothing when already closed. */
    @Override
    public void close() {
        close(CloseCodes.NORMAL_CLOSURE, "");
    }

    /**
     * The messages received, one per {@link #recv()}: iteration ends when the connection closes cleanly and
     * throws {@link ConnectionClosedException} when it closes with an error. Single-use, single-thread.
     */
    @Override
    public Iterator<Message> iterator() {
        return new Iterator<>() {
            private Message next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    try {
                        next = recv();
                    } catch (ConnectionClosedOkException cleanClose) {
                        done = true;
                    }
                }
                return next != null;
            }

            @Override
            public Message next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the connection is closed");
                }
                Message message = next;
                next = null;
                return message;
            }
        };
    }

    @Override
    public String toString() {
        return "BlockingWebSocket[" + session.id() + (session.isOpen() ? ", open]" : ", closed]");
    }

    /** Waits for {@code mono}, rethrowing its error unchecked and without Reactor's wrapper. */
    static <T> T await(Mono<T> mono) {
        try {
            return mono.block();
        } catch (RuntimeException e) {
            Throwable cause = Exceptions.unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            throw new WebSocketException(String.valueOf(cause.getMessage()), cause);
        }
    }

    /** Receives from the session one message at a time: demand follows {@code recv}. */
    private final class Inbox implements CoreSubscriber<Message> {
        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(Message message) {
            inbox.add(message);
        }

        @Override
        public void onError(Throwable error) {
            failure = error;
            inbox.add(END);
        }

        @Override
        public void onComplete() {
            inbox.add(END);
        }
    }
}
