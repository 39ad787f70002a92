package dev.wsflux.core;

import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One open WebSocket connection, client or server side.
 *
 * <p>Inbound: {@link #receive()} is a {@code Flux} of complete messages for one subscriber. Its demand
 * drives the socket: while more than {@code maxQueue.high} messages wait, the engine stops reading from
 * the socket, so the peer's TCP window closes; reading resumes at {@code maxQueue.low}. Outbound:
 * {@link #send(Publisher)} requests messages only while the bytes buffered for the socket stay under
 * {@code writeLimit}.
 *
 * <p>Signals of {@link #receive()} and of the handler run on the connection's event loop: never block
 * in them; move blocking work to another {@code Scheduler} ({@code publishOn(Schedulers.boundedElastic())}).
 * Pausing reads also pauses reading Ping and Close frames: a consumer that stalls for longer than the
 * peer's keepalive timeout lets the peer close the connection.
 *
 * <p>Every method is thread-safe and returns without blocking; errors from misuse arrive as error
 * signals, never as exceptions thrown from the method.
 */
public interface WebSocketSession {

    /**
     * The messages received, in order. Only one subscriber is allowed (a second one gets an
     * {@code IllegalStateException}). Completes when the connection closes OK (both Close codes in
     * 1000, 1001, 1005); errors with a {@link ConnectionClosedException} otherwise. Cancelling the
     * subscription stops delivery (later messages are discarded, reads continue so that Close and
     * Ping frames are still processed) but does not close the connection by itself.
     *
     * <p>Memory is bounded by construction: frames are decoded only while fewer than {@code maxQueue.high}
     * messages and {@code maxQueueBytes.high} bytes wait for demand; the rest of a socket read waits
     * undecoded and the socket is not read again until the queue is down to its low marks (the peer's TCP
     * window closes). See {@link SessionOptions} for the formula. After this side sent its Close, reading
     * never pauses: messages still arriving are queued while the queue has room and discarded beyond it, so
     * that the peer's Close is read at once.
     */
    Flux<Message> receive();

    /**
     * Sends every message of {@code messages} in order, each as one whole message, requesting ahead as
     * {@code limitRate} does ({@code sendPrefetch}, fewer for large messages) and only while the bytes
     * buffered for the socket are under {@code writeLimit.high}.
     *
     * <p>Completes when the last message was written to the socket. When the connection stops taking data
     * while the publisher is still running (a Close was sent or received, whoever closed first), the
     * publisher is cancelled and the outcome is the closure's: it completes when the connection closes OK
     * (as a WebFlux echo handler expects when the peer closes) and errors with the {@link
     * ConnectionClosedException} otherwise. A {@code send} subscribed after the connection stopped taking
     * data errors at once with the closing details ({@code ConnectionClosedOkException} after an OK close,
     * as in Python {@code websockets}). A publisher error fails it; the connection stays open.
     *
     * <p>Several {@code send} calls may run at once: each message is written whole (fragments of two
     * messages never interleave), and messages of different calls interleave in arrival order.
     */
    Mono<Void> send(Publisher<? extends Message> messages);

    /** Sends one message; see {@link #send(Publisher)}. */
    default Mono<Void> send(Message message) {
        return send(Mono.just(message));
    }

    /**
     * Sends a Ping with {@code payload} (at most 125 bytes) and completes with the round-trip time when
     * the matching Pong arrives. A Pong acknowledges every earlier Ping too.
     */
    Mono<Duration> ping(ByteBuffer payload);

    /** Sends a Ping with a random 4-byte payload; see {@link #ping(ByteBuffer)}. */
    Mono<Duration> ping();

    /**
     * Starts the closing handshake with {@code code} and {@code reason} (at most 123 UTF-8 bytes), or sends
     * a Close frame without a status for 1005 and an empty reason, and completes when the handshake is done
     * and the TCP connection is closed: within one round trip, whatever input is still unread (it is
     * discarded), or after {@code closeTimeout} when the peer does not answer. Closing an already closed
     * session completes at once. An invalid code or reason is an {@code IllegalArgumentException} signal.
     */
    Mono<Void> close(int code, String reason);

    /** Closes with 1000 and no reason. */
    default Mono<Void> close() {
        return close(1000, "");
    }

    /**
     * Emits when the connection is closed: the status of the Close frame received from the peer (1005
     * when it had no code; 1006 when no Close frame was received).
     */
    Mono<CloseStatus> closeStatus();

    /**
     * Emits when the connection is closed: both Close frames, which came first and the cause, as a
     * {@link ConnectionClosedException} whose {@link ConnectionClosedException#isOk()} says whether the
     * closure was OK.
     */
    Mono<ConnectionClosedException> closeDetails();

    /** A unique identifier of this connection, for logs. */
    String id();

    /** The negotiated subprotocol, or {@code null} when none was. */
    String subprotocol();

    /** The negotiated extensions, as their names, in order (e.g. {@code ["permessage-deflate"]}). */
    List<String> extensions();

    /** The opening handshake request. */
    Request handshakeRequest();

    /** The opening handshake response. */
    Response handshakeResponse();

    /** The local address of the connection. */
    SocketAddress localAddress();

    /** The remote address of the connection. */
    SocketAddress remoteAddress();

    /** The round-trip time of the last keepalive or user Ping, or {@code Duration.ZERO} before the first. */
    Duration latency();

    /** Whether the connection is open: messages can be sent. */
    boolean isOpen();
}
