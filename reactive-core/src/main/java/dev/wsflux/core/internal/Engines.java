package dev.wsflux.core.internal;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.Request;
import dev.wsflux.protocol.Response;
import dev.wsflux.protocol.ServerProtocol;
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

    /** The implementation, registered by {@code dev.wsflux.core} when its engine class loads. */
    public interface Access {
        /** See {@link Engines#connectClient}. */
        Mono<WebSocketSession> connectClient(
                Connection connection, ClientProtocol protocol, Request request, SessionOptions options);

        /** See {@link Engines#serveConnection}. */
        Mono<Void> serveConnection(
                Connection connection, ServerProtocol protocol, SessionOptions options, ServerHandshake handshake);
    }

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

    private static volatile Access access;

    private Engines() {}

    /**
     * Runs the client handshake on an established TCP connection: writes {@code request} (from {@code
     * protocol.connect()}, possibly modified), reads the response and emits the open session. Errors with
     * the protocol's {@code handshakeException()} (an {@code InvalidStatusException} carrying the response
     * for a non-101) and closes the connection. Cancelling before the response closes the connection. The
     * open timeout is the caller's job: it spans DNS, TCP, proxy and TLS too.
     */
    public static Mono<WebSocketSession> connectClient(
            Connection connection, ClientProtocol protocol, Request request, SessionOptions options) {
        return access().connectClient(connection, protocol, request, options);
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
        return access().serveConnection(connection, protocol, options, handshake);
    }

    /** Registers the implementation; called once by {@code dev.wsflux.core}. */
    public static void register(Access implementation) {
        access = implementation;
    }

    private static Access access() {
        Access current = access;
        if (current == null) {
            try {
                // Loading the engine registers it (the JDK's "shared secrets" pattern).
                Class.forName("dev.wsflux.core.EngineAccess", true, Engines.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("dev.wsflux.core.EngineAccess is missing", e);
            }
            current = access;
        }
        return current;
    }
}
