package dev.wsflux.core.internal;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.FrameObserver;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Runs WebSocket connections over Reactor Netty {@code Connection}s: the entry points of the session
 * engine for reactive-client and reactive-server. Not part of the user API. Thread-safe.
 *
 * <p>The engine puts its own handler in the connection's pipeline: inbound bytes go to the protocol and
 * never to Reactor Netty's {@code FluxReceive}, and the engine alone switches auto-read. Do not subscribe
 * to {@code connection.inbound()}.
 */
public final class Engines {

    /** The server's decisions during the opening handshake of one connection. */
    public interface ServerHandshake {
        /**
         * The response to {@code request}: {@code protocol.accept(request)} for a 101, or any other
         * response to reject the request or answer plain HTTP. Called on the event loop; must not block.
         * An error or an empty result answers 500.
         */
        Mono<Response> respond(Request request, ServerProtocol protocol);

        /**
         * The response to {@code request} when it can be decided at once, or {@code null} to have
         * {@link #respond} called. The engine calls this first: a server without asynchronous hooks
         * answers every handshake here, without a Reactor pipeline per connection. Called on the event
         * loop; must not block. Throwing answers 500.
         */
        default Response respondNow(Request request, ServerProtocol protocol) {
            return null;
        }

        /**
         * Handles an open session. When the returned publisher completes, the session closes with 1000;
         * when it errors, with 1011 (the error is logged once; its text is not sent).
         */
        Publisher<Void> handle(WebSocketSession session);
    }

    private Engines() {}

    /**
     * The frame observer to build the protocol of a connection that an engine will run with, or {@code null}
     * for none: it logs to the frame trace (the DEBUG logger {@code dev.wsflux.core.FrameTrace}) when that is
     * on now, and hands each frame to the observer that {@code observerFor} makes for the session (the client's
     * or server's {@code frameObserver}; {@code null} for none). Call it once per connection, when building
     * its protocol: without the trace and without {@code observerFor}, it returns {@code null}, and the
     * connection costs nothing per frame.
     */
    public static FrameObserver frameObserver(Function<? super WebSocketSession, ? extends FrameObserver> observerFor) {
        return SessionFrameObserver.forNewConnection(observerFor);
    }

    /**
     * Runs the client handshake on an established TCP connection: writes {@code request} (from {@code
     * protocol.connect()}, possibly modified), reads the response and emits the open session. Errors with
     * the protocol's {@code handshakeException()} (an {@code InvalidStatusException} carrying the response
     * for a non-101) and closes the connection. Cancelling before the response closes the connection. The
     * open timeout is the caller's job: it spans DNS, TCP, proxy and TLS too.
     */
    public static Mono<WebSocketSession> connectClient(
            Connection connection, ClientProtocol protocol, Request request, SessionOptions options) {
        return Mono.create(sink -> {
            SessionEngine engine = new SessionEngine(connection, protocol, options);
            ClientHandshakeRunner runner = new ClientHandshakeRunner(engine, protocol, request, sink);
            sink.onCancel(runner::cancel);
            engine.execute(runner::start);
        });
    }

    /**
     * Runs the server side of one accepted TCP connection: reads the request (within {@code
     * options.openTimeout()}, so that a slowloris peer is dropped), asks {@code handshake} for the
     * response, writes it and, for a 101, runs {@code handshake.handle(session)}. The returned Mono never
     * completes: the engine closes the channel itself, and Reactor Netty ends the connection when the
     * channel closes (waiting on a per-connection signal would cost a subscriber per connection).
     */
    public static Mono<Void> serveConnection(
            Connection connection, ServerProtocol protocol, SessionOptions options, ServerHandshake handshake) {
        return Mono.defer(() -> {
            SessionEngine engine = new SessionEngine(connection, protocol, options);
            ServerHandshakeRunner runner = new ServerHandshakeRunner(engine, protocol, handshake);
            engine.execute(runner::start);
            // The engine closes the channel itself, and Reactor Netty ends the connection's operations
            // when the channel closes: nothing needs to wait for the session, so no subscriber to it is
            // kept per connection.
            return Mono.never();
        });
    }
}
