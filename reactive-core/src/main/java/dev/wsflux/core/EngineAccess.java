package dev.wsflux.core;

import dev.wsflux.core.internal.Engines;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.Request;
import dev.wsflux.protocol.ServerProtocol;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/** Registers the engine with {@link Engines}, which lives in another package, when this class loads. */
final class EngineAccess implements Engines.Access {
    static {
        Engines.register(new EngineAccess());
    }

    private EngineAccess() {}

    @Override
    public Mono<WebSocketSession> connectClient(
            Connection connection, ClientProtocol protocol, Request request, SessionOptions options) {
        return Mono.create(sink -> {
            SessionEngine engine = new SessionEngine(connection, protocol, options);
            ClientHandshakeRunner runner = new ClientHandshakeRunner(engine, protocol, request, sink);
            sink.onCancel(runner::cancel);
            engine.execute(runner::start);
        });
    }

    @Override
    public Mono<Void> serveConnection(
            Connection connection, ServerProtocol protocol, SessionOptions options, Engines.ServerHandshake handshake) {
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
