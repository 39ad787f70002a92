package dev.wsflux.server;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.internal.Engines;
import dev.wsflux.protocol.FrameObserver;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.SubprotocolSelector;
import dev.wsflux.protocol.extensions.ServerExtensionFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateOptions;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateServerFactory;
import dev.wsflux.protocol.http11.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A WebSocket server: an immutable description of where to listen and how to answer, in the style of
 * Reactor Netty's {@code TcpServer}. Every method returns a new instance, so a configured server can be
 * shared and refined; {@link #bind()} starts one.
 *
 * <pre>{@code
 * RunningServer server = WebSocketServer.create()
 *         .port(8080)
 *         .route("/echo", session -> session.send(session.receive()))
 *         .route("/rooms/{room}", (session, variables) -> chat.join(variables.get("room"), session))
 *         .bindNow();
 * }</pre>
 *
 * <p>The handshake of each connection runs, in order: {@code processRequest} (which may answer at once,
 * e.g. a health check or a 401), routing (404 for a path without a route), the protocol's checks (origin
 * 403, subprotocol and extension negotiation 400, not an upgrade 426, method 405), then {@code
 * processResponse}. A handler that completes closes its session with 1000; one that errors closes it with
 * 1011 and the error is logged. Handlers run on the connection's event loop: they must not block.
 *
 * <p>Thread-safe (immutable). Only TCP is used from Reactor Netty; the HTTP upgrade and framing are
 * wsflux's own (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.2">RFC 6455 §4.2</a>).
 */
public final class WebSocketServer {
    /**
     * The port when none is set: 0, a free port that the system picks when the server binds, readable from
     * {@link RunningServer#port()}. It is Reactor Netty's default ({@code TcpServer} and {@code HttpServer}
     * bind "any local address, and the system picks up an ephemeral port"); a fixed default such as 80 needs
     * privileges on most systems and collides with whatever already listens there.
     */
    public static final int DEFAULT_PORT = 0;

    /** The address when none is set: {@code 0.0.0.0}, every local IPv4 address. */
    public static final String DEFAULT_HOST = "0.0.0.0";

    final ServerConfig config;

    private WebSocketServer(ServerConfig config) {
        this.config = config;
    }

    /**
     * A server with the defaults: every local IPv4 address ({@link #DEFAULT_HOST}), a free port picked by the
     * system ({@link #DEFAULT_PORT}), compression on, no routes. Set {@link #port(int)} for a port that
     * clients can know in advance, and {@link #host(String)} {@code "127.0.0.1"} to accept local clients only.
     */
    public static WebSocketServer create() {
        return new WebSocketServer(new ServerConfig());
    }

    private WebSocketServer with(java.util.function.Consumer<ServerConfig> change) {
        ServerConfig copy = config.copy();
        change.accept(copy);
        return new WebSocketServer(copy);
    }

    /** The host name or address to bind (default {@link #DEFAULT_HOST}: every local IPv4 address). */
    public WebSocketServer host(String host) {
        Objects.requireNonNull(host, "host");
        return with(c -> {
            c.host = host;
            c.unixSocket = null;
        });
    }

    /**
     * The port to bind; 0 (the default, {@link #DEFAULT_PORT}) picks a free port, readable from {@link
     * RunningServer#port()}.
     */
    public WebSocketServer port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
        return with(c -> {
            c.port = port;
            c.unixSocket = null;
        });
    }

    /** Listens on a Unix domain socket at {@code path} instead of TCP (Linux and macOS). */
    public WebSocketServer unixSocket(Path path) {
        Objects.requireNonNull(path, "path");
        return with(c -> c.unixSocket = path);
    }

    /**
     * Routes sessions whose request path matches {@code pathTemplate} to {@code handler}. Templates have
     * literal segments, {@code {name}} segments and a final {@code {*name}} for the rest of the path; the
     * first matching route wins.
     */
    public WebSocketServer route(
            String pathTemplate, Function<? super WebSocketSession, ? extends Publisher<Void>> handler) {
        Objects.requireNonNull(handler, "handler");
        return route(pathTemplate, (session, variables) -> handler.apply(session));
    }

    /** Routes to a handler that receives the template's variables; see {@link #route(String, Function)}. */
    public WebSocketServer route(String pathTemplate, RouteHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Route route = new Route(PathTemplate.parse(pathTemplate), handler);
        return with(c -> c.routes = append(c.routes, route));
    }

    /**
     * The handler of every session that no {@link #route} takes (instead of answering 404); with no route,
     * of every session. "Handle" means what it means in Reactor Netty, on both sides: the handler that runs
     * on the connection ({@code TcpServer.handle}; the client's {@code handle(uri, handler)} connects and runs
     * it).
     */
    public WebSocketServer handle(Function<? super WebSocketSession, ? extends Publisher<Void>> handler) {
        Objects.requireNonNull(handler, "handler");
        return with(c -> c.fallback = (session, variables) -> handler.apply(session));
    }

    /**
     * Accepts only these {@code Origin} values (exact match); a {@code null} element also accepts requests
     * without an {@code Origin} header (non-browser clients). Others get 403. By default every origin is
     * accepted.
     */
    public WebSocketServer origins(String... origins) {
        List<String> values = Arrays.asList(origins.clone());
        return with(c -> c.origins = values);
    }

    /** Also accepts {@code Origin} values fully matching one of these patterns; enables the origin check. */
    public WebSocketServer originPatterns(Pattern... patterns) {
        List<Pattern> values = List.of(patterns);
        return with(c -> c.originPatterns = values);
    }

    /** The subprotocols supported, by preference; a client offering none of them gets 400. */
    public WebSocketServer subprotocols(String... subprotocols) {
        List<String> values = List.of(subprotocols);
        return with(c -> c.subprotocols = values);
    }

    /** Chooses the subprotocol among the client's offers instead of the default preference order. */
    public WebSocketServer subprotocolSelector(SubprotocolSelector selector) {
        return with(c -> c.subprotocolSelector = selector);
    }

    /** Turns permessage-deflate (RFC 7692) on with memory-conscious server defaults, or off. On by default. */
    public WebSocketServer compression(boolean enabled) {
        return with(c -> {
            c.compression = enabled;
            c.deflateOptions = null;
        });
    }

    /** Turns permessage-deflate on with these parameters (window bits, context takeover, level…). */
    public WebSocketServer compression(PerMessageDeflateOptions options) {
        Objects.requireNonNull(options, "options");
        return with(c -> {
            c.compression = true;
            c.deflateOptions = options;
        });
    }

    /** Extra extensions, negotiated after permessage-deflate. */
    public WebSocketServer extensions(List<ServerExtensionFactory> factories) {
        List<ServerExtensionFactory> values = List.copyOf(factories);
        return with(c -> c.extensions = values);
    }

    /** The limits and timers of every session (maxSize, maxQueue, writeLimit, timeouts, keepalive). */
    public WebSocketServer options(SessionOptions options) {
        Objects.requireNonNull(options, "options");
        return with(c -> c.options = options);
    }

    /**
     * Observes every frame of every session, data and control frames alike, including the Pongs and Closes
     * the session writes on its own: {@code observerFor} is called once per session, on the connection's event
     * loop when its first frame is sent or received (after the opening handshake), and returns the {@link
     * FrameObserver} of that session ({@code null} to observe none of its frames). Each observer is then called
     * on that event loop for every frame of its session, in order, with a read-only view of the (decompressed)
     * payload valid only during the call; it must not block, throw or call back into the session (see {@link
     * FrameObserver}). {@code observerFor} itself runs on the event loops of many connections at once: make it
     * thread-safe.
     *
     * <p>{@code null} (the default) observes nothing: no call and no allocation per frame. The frame trace
     * (DEBUG on the logger {@code dev.wsflux.core.FrameTrace}) works with or without an observer.
     */
    public WebSocketServer frameObserver(Function<? super WebSocketSession, ? extends FrameObserver> observerFor) {
        return with(c -> c.frameObserver = observerFor);
    }

    /**
     * A hook run first for every request: a response answers the request at once (a health check's 200,
     * a 401, a redirect) and closes the connection; an empty result continues the handshake. Called on
     * the event loop; must not block.
     */
    public WebSocketServer processRequest(Function<? super ServerRequest, ? extends Publisher<Response>> hook) {
        Objects.requireNonNull(hook, "hook");
        return with(c -> c.processRequest = hook);
    }

    /**
     * A hook run on the handshake's response (a 101, or a 4xx from routing and the protocol's checks):
     * returns the response to send, such as the same one with extra headers. Not run on responses from
     * {@code processRequest}. Called on the event loop; must not block.
     */
    public WebSocketServer processResponse(BiFunction<? super ServerRequest, Response, Response> hook) {
        Objects.requireNonNull(hook, "hook");
        return with(c -> c.processResponse = hook);
    }

    /** Requires HTTP Basic credentials accepted by {@code check}; runs before {@code processRequest}. */
    public WebSocketServer basicAuth(String realm, java.util.function.BiPredicate<String, String> check) {
        Function<ServerRequest, Mono<Response>> hook = BasicAuth.processor(realm, check);
        return with(c -> c.basicAuth = hook);
    }

    /** The {@code Server} header of responses. Default {@code wsflux/<version>}. */
    public WebSocketServer serverHeader(String value) {
        Objects.requireNonNull(value, "value");
        return with(c -> {
            c.serverHeaderSet = true;
            c.serverHeader = value;
        });
    }

    /** Sends no {@code Server} header (as the client's {@code noUserAgent()} sends no {@code User-Agent}). */
    public WebSocketServer noServerHeader() {
        return with(c -> {
            c.serverHeaderSet = true;
            c.serverHeader = null;
        });
    }

    /**
     * The longest the opening handshake may take, against slowloris clients (default 10 s); a shorthand for
     * {@code options(options.toBuilder().openTimeout(timeout).build())}, as on the client.
     */
    public WebSocketServer openTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return with(c -> c.options = c.options.toBuilder().openTimeout(timeout).build());
    }

    /** Serves {@code wss} with these TLS options (the client's counterpart is {@code tls(TlsOptions)}). */
    public WebSocketServer tls(ServerTlsOptions tls) {
        Objects.requireNonNull(tls, "tls");
        return with(c -> c.tls = tls);
    }

    /** Serves {@code wss}: a shorthand for {@code tls(ServerTlsOptions.pem(certificateChain, privateKey))}. */
    public WebSocketServer tls(Path certificateChain, Path privateKey) {
        return tls(ServerTlsOptions.pem(certificateChain, privateKey));
    }

    /** Serves {@code wss}: a shorthand for {@code tls(ServerTlsOptions.of(context))}. */
    public WebSocketServer tls(SSLContext context) {
        return tls(ServerTlsOptions.of(context));
    }

    /**
     * The most connections served at once (default unlimited); further handshakes are answered 503 and
     * closed.
     */
    public WebSocketServer maxConnections(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1: " + max);
        }
        return with(c -> c.maxConnections = max);
    }

    /**
     * Starts listening; emits the running server once bound. Nothing happens until subscription.
     *
     * <p>Errors with a {@link dev.wsflux.protocol.frames.WebSocketException} that names the address when the
     * server cannot listen, for example {@code "cannot bind 127.0.0.1:8080: address already in use"}, whose
     * cause is the JDK's exception: a {@link java.net.BindException} (the port is taken, needs privileges, or
     * the address is not local), an {@link java.net.UnknownHostException} (the host does not resolve), or
     * another {@link java.io.IOException}.
     */
    public Mono<RunningServer> bind() {
        return RunningServer.bind(config.copy());
    }

    /**
     * Starts listening and waits until bound (45 s at most). Blocks: not for event-loop threads. Throws what
     * {@link #bind()} signals, such as {@code "cannot bind 127.0.0.1:8080: address already in use"}.
     */
    public RunningServer bindNow() {
        return bindNow(Duration.ofSeconds(45));
    }

    /** Starts listening and waits until bound, at most {@code timeout}; see {@link #bindNow()}. */
    public RunningServer bindNow(Duration timeout) {
        RunningServer server = bind().block(timeout);
        if (server == null) {
            throw new IllegalStateException("server did not bind");
        }
        return server;
    }

    @Override
    public String toString() {
        return "WebSocketServer[" + (config.unixSocket != null ? config.unixSocket : config.host + ":" + config.port)
                + ", " + config.routes.size() + " routes]";
    }

    private static <T> List<T> append(List<T> list, T element) {
        List<T> copy = new ArrayList<>(list);
        copy.add(element);
        return List.copyOf(copy);
    }

    /** A route: template and handler. */
    record Route(PathTemplate template, RouteHandler handler) {}

    /** The mutable configuration behind each immutable {@link WebSocketServer}; copied on every change. */
    static final class ServerConfig {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        Path unixSocket;
        List<Route> routes = List.of();
        RouteHandler fallback;
        List<String> origins;
        List<Pattern> originPatterns;
        List<String> subprotocols = List.of();
        SubprotocolSelector subprotocolSelector;
        boolean compression = true;
        PerMessageDeflateOptions deflateOptions;
        List<ServerExtensionFactory> extensions = List.of();
        SessionOptions options = SessionOptions.defaults();
        Function<? super ServerRequest, ? extends Publisher<Response>> processRequest;
        BiFunction<? super ServerRequest, Response, Response> processResponse;
        Function<ServerRequest, Mono<Response>> basicAuth;
        boolean serverHeaderSet;
        String serverHeader;
        ServerTlsOptions tls;
        int maxConnections = Integer.MAX_VALUE;
        Function<? super WebSocketSession, ? extends FrameObserver> frameObserver;
        // Derived on the first connection; not copied, since a copy may change what it derives from.
        private List<ServerExtensionFactory> sharedFactories;

        ServerConfig copy() {
            ServerConfig c = new ServerConfig();
            c.host = host;
            c.port = port;
            c.unixSocket = unixSocket;
            c.routes = routes;
            c.fallback = fallback;
            c.origins = origins;
            c.originPatterns = originPatterns;
            c.subprotocols = subprotocols;
            c.subprotocolSelector = subprotocolSelector;
            c.compression = compression;
            c.deflateOptions = deflateOptions;
            c.extensions = extensions;
            c.options = options;
            c.processRequest = processRequest;
            c.processResponse = processResponse;
            c.basicAuth = basicAuth;
            c.serverHeaderSet = serverHeaderSet;
            c.serverHeader = serverHeader;
            c.tls = tls;
            c.maxConnections = maxConnections;
            c.frameObserver = frameObserver;
            return c;
        }

        /** A protocol object for one connection. */
        ServerProtocol newProtocol() {
            ServerProtocol.Builder builder = ServerProtocol.builder()
                    .maxSize(options.maxSize())
                    .maxFrameSize(options.maxFrameSize())
                    .deferClose(true)
                    .frameObserver(Engines.frameObserver(frameObserver));
            if (origins != null) {
                builder.origins(origins);
            }
            if (originPatterns != null) {
                builder.originPatterns(originPatterns);
            }
            if (!subprotocols.isEmpty()) {
                builder.subprotocols(subprotocols);
            }
            if (subprotocolSelector != null) {
                builder.subprotocolSelector(subprotocolSelector);
            }
            builder.extensions(extensionFactories());
            if (serverHeaderSet) {
                builder.serverHeader(serverHeader);
            }
            return builder.build();
        }

        /**
         * The extension factories, made on the first connection and shared by all (they are immutable), so
         * that a connection keeps no copies of them.
         */
        private List<ServerExtensionFactory> extensionFactories() {
            List<ServerExtensionFactory> factories = sharedFactories;
            if (factories == null) {
                List<ServerExtensionFactory> made = new ArrayList<>();
                if (compression) {
                    made.add(
                            deflateOptions == null
                                    ? PerMessageDeflateServerFactory.create()
                                    : PerMessageDeflateServerFactory.of(deflateOptions));
                }
                made.addAll(extensions);
                factories = List.copyOf(made); // safely published: racing first connections make equal lists
                sharedFactories = factories;
            }
            return factories;
        }

        /** The route for {@code path}, or {@code null}. */
        RouteMatch match(String path) {
            for (Route route : routes) {
                java.util.Map<String, String> variables = route.template().match(path);
                if (variables != null) {
                    return new RouteMatch(route.handler(), variables);
                }
            }
            return fallback == null ? null : new RouteMatch(fallback, java.util.Map.of());
        }
    }

    /** A matched route with its variables. */
    record RouteMatch(RouteHandler handler, java.util.Map<String, String> variables) {}
}
