package dev.wsflux.server;

import dev.wsflux.core.MemoryBudget;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.internal.Engines;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * The handshake decisions for one connection: shutdown and connection limits (503), the Basic-auth and
 * {@code processRequest} hooks, routing (404), the protocol's checks, {@code processResponse}; then the
 * route's handler. Called by the engine on the connection's event loop. Also the listener on the channel's
 * close future that tells the server the connection is gone (one object per connection, not two).
 */
final class ConnectionHandshake implements Engines.ServerHandshake, ChannelFutureListener {
    /**
     * The {@code Retry-After} of a 503 sent because the memory budget is exceeded: 5 s, long enough for
     * consumers to take some of the messages that hold the memory, short enough for a reconnecting client.
     */
    static final String RETRY_AFTER_SECONDS = "5";

    private final RunningServer server;
    private final WebSocketServer.ServerConfig config;
    private final Connection connection;
    private final boolean overLimit;
    private WebSocketServer.RouteMatch match;
    private volatile WebSocketSession session;

    ConnectionHandshake(
            RunningServer server, WebSocketServer.ServerConfig config, Connection connection, boolean overLimit) {
        this.server = server;
        this.config = config;
        this.connection = connection;
        this.overLimit = overLimit;
    }

    /** The channel closed: the server forgets the connection and its session. */
    @Override
    public void operationComplete(ChannelFuture closed) {
        server.closed(connection, session);
    }

    /** Without hooks, every decision is synchronous: answered here, with no Reactor pipeline. */
    @Override
    public Response respondNow(Request request, ServerProtocol protocol) {
        if (server.isShuttingDown()) {
            return shuttingDown(protocol);
        }
        if (overLimit) {
            return protocol.reject(503, "Service Unavailable: too many connections");
        }
        MemoryBudget budget = config.options.memoryBudget();
        if (budget.isExceeded()) {
            // Envoy-style load shedding: the connections already open keep the memory; new ones wait.
            budget.recordRejectedHandshake();
            Response busy = protocol.reject(503, "Service Unavailable: the server is short of memory");
            return new Response(
                    busy.status(),
                    busy.reason(),
                    busy.headers().toBuilder()
                            .add("Retry-After", RETRY_AFTER_SECONDS)
                            .build(),
                    busy.body());
        }
        if (config.basicAuth != null || config.processRequest != null) {
            return null;
        }
        return accept(new ServerRequest(request, connection.channel().remoteAddress(), protocol), protocol);
    }

    /** With hooks: they may answer later, on another thread. */
    @Override
    public Mono<Response> respond(Request request, ServerProtocol protocol) {
        ServerRequest serverRequest =
                new ServerRequest(request, connection.channel().remoteAddress(), protocol);
        Mono<Response> early = Mono.empty();
        if (config.basicAuth != null) {
            early = config.basicAuth.apply(serverRequest);
        }
        if (config.processRequest != null) {
            early = early.switchIfEmpty(Mono.defer(() -> Mono.from(config.processRequest.apply(serverRequest))));
        }
        if (config.basicAuth != null || config.processRequest != null) {
            // Hooks may answer on another thread; the protocol is used on the event loop only.
            early = early.publishOn(Schedulers.fromExecutor(connection.channel().eventLoop()));
        }
        return early.switchIfEmpty(Mono.fromSupplier(() -> accept(serverRequest, protocol)));
    }

    private Response accept(ServerRequest request, ServerProtocol protocol) {
        if (server.isShuttingDown()) {
            // A hook may answer after the shutdown started: the handshake is still in progress, so 503 too.
            return shuttingDown(protocol);
        }
        match = config.match(request.path());
        Response response = match == null
                ? protocol.reject(404, "Not Found: no WebSocket route for " + request.path())
                : protocol.accept(request.request());
        if (config.processResponse != null) {
            Response replaced = config.processResponse.apply(request, response);
            if (replaced != null) {
                response = replaced;
            }
        }
        return response;
    }

    private static Response shuttingDown(ServerProtocol protocol) {
        return protocol.reject(503, "Service Unavailable: the server is shutting down");
    }

    @Override
    public Publisher<Void> handle(WebSocketSession session) {
        this.session = session;
        server.track(session, connection.channel().isOpen());
        WebSocketServer.RouteMatch route = match;
        match = null; // used once: the handler's publisher keeps what it needs
        return route.handler().handle(session, route.variables());
    }
}
