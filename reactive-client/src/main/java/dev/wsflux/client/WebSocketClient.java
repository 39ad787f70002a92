package dev.wsflux.client;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.FrameObserver;
import dev.wsflux.protocol.extensions.ClientExtensionFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateClientFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateOptions;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.HttpSyntax;
import dev.wsflux.protocol.http11.UserAgent;
import dev.wsflux.protocol.http11.WebSocketUri;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A WebSocket client: what to offer in the opening handshake, how to reach the server, and the limits of
 * the sessions it opens. Immutable and thread-safe: every option method returns a new client, so one
 * configured client can be shared and specialized, as with Reactor Netty's {@code TcpClient}.
 *
 * <pre>{@code
 * WebSocketClient client = WebSocketClient.create()
 *         .subprotocols("chat.v2")
 *         .header("Authorization", "Bearer " + token)
 *         .openTimeout(Duration.ofSeconds(5));
 * client.handle(URI.create("wss://example.com/chat"), session -> session.send(Message.text("hi"))
 *                 .thenMany(session.receive().take(1))
 *                 .then())
 *         .block();
 * }</pre>
 *
 * <p>Defaults: no {@code Origin}, no subprotocol, permessage-deflate offered, a
 * {@code User-Agent: wsflux/<version> Java/<version>} header, {@link SessionOptions#defaults()}, TLS per
 * {@link TlsOptions#defaults()}, the proxy detected from the environment and the JVM
 * ({@link #proxyFromEnvironment()}), up to 10 redirects, and the reconnect backoff of
 * {@link ReconnectOptions#defaults()}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.1">RFC 6455 §4.1 Client Requirements</a>
 */
public final class WebSocketClient {
    /** The default {@code User-Agent}: {@code wsflux/<version> Java/<version>}. */
    public static final String DEFAULT_USER_AGENT = UserAgent.DEFAULT;

    private static final Logger LOG = Loggers.getLogger(WebSocketClient.class);

    private static final WebSocketClient DEFAULT = new WebSocketClient(new ClientConfig());

    private final ClientConfig config;

    private WebSocketClient(ClientConfig config) {
        this.config = config;
    }

    /** A client with the defaults. */
    public static WebSocketClient create() {
        return DEFAULT;
    }

    // ---- handshake -----------------------------------------------------------------------------

    /**
     * Sends {@code Origin: origin} (RFC 6455 §4.1 item 8; RFC 6454), or no {@code Origin} header when
     * {@code origin} is {@code null} (the default: a non-browser client need not send one).
     */
    public WebSocketClient origin(String origin) {
        return with(s -> s.origin = origin);
    }

    /** Offers these subprotocols, most preferred first, in {@code Sec-WebSocket-Protocol} (RFC 6455 §1.9). */
    public WebSocketClient subprotocols(String... subprotocols) {
        return subprotocols(List.of(subprotocols));
    }

    /** Offers these subprotocols, most preferred first. */
    public WebSocketClient subprotocols(List<String> subprotocols) {
        for (String subprotocol : subprotocols) {
            if (!HttpSyntax.isToken(subprotocol)) {
                throw new IllegalArgumentException("invalid subprotocol: \"" + subprotocol + "\"");
            }
        }
        List<String> copy = List.copyOf(subprotocols);
        return with(s -> s.subprotocols = copy);
    }

    /**
     * Turns permessage-deflate (RFC 7692) on with its defaults (on by default) or off. Off is the right
     * choice for payloads that are already compressed, or to save the memory of the compression contexts.
     */
    public WebSocketClient compression(boolean enabled) {
        return with(s -> {
            s.compression = enabled;
            s.compressionFactory = null;
        });
    }

    /**
     * Offers permessage-deflate with these settings (window bits, context takeover, level, the smallest
     * message worth compressing), one offer per value, most preferred first, so that the server can pick
     * one it accepts.
     */
    public WebSocketClient compression(PerMessageDeflateOptions... offers) {
        ClientExtensionFactory factory = PerMessageDeflateClientFactory.of(offers);
        return with(s -> {
            s.compression = true;
            s.compressionFactory = factory;
        });
    }

    /** Offers further extensions, after permessage-deflate, through the extension SPI (RFC 6455 §9). */
    public WebSocketClient extensions(List<ClientExtensionFactory> extensions) {
        List<ClientExtensionFactory> copy = List.copyOf(extensions);
        return with(s -> s.extensions = copy);
    }

    /**
     * Adds a header line to the handshake request; call it again with the same name for a multi-valued
     * header. Headers that the handshake owns ({@code Upgrade}, {@code Connection},
     * {@code Sec-WebSocket-*}) are rejected: use the dedicated options.
     */
    public WebSocketClient header(String name, String value) {
        checkUserHeader(name);
        Headers headers = config.headers.toBuilder().add(name, value).build();
        return with(s -> s.headers = headers);
    }

    /** Replaces every extra header line with {@code headers}; see {@link #header(String, String)}. */
    public WebSocketClient headers(Headers headers) {
        for (var entry : headers.entries()) {
            checkUserHeader(entry.getKey());
        }
        return with(s -> s.headers = headers);
    }

    /** Sends {@code User-Agent: userAgent} instead of {@link #DEFAULT_USER_AGENT}. */
    public WebSocketClient userAgent(String userAgent) {
        Objects.requireNonNull(userAgent, "userAgent (use noUserAgent() to send none)");
        return with(s -> s.userAgent = userAgent);
    }

    /** Sends no {@code User-Agent} header. */
    public WebSocketClient noUserAgent() {
        return with(s -> s.userAgent = null);
    }

    /**
     * Sends {@code Host: host} instead of the URI's authority, e.g. when connecting to an IP address or a
     * Unix socket for a virtual host. {@code null} goes back to the URI's authority. (On a server, {@code
     * host} is the address to bind, as in Reactor Netty; this is the header, hence the name.)
     */
    public WebSocketClient hostHeader(String host) {
        return with(s -> s.host = host);
    }

    // ---- sessions and timers -------------------------------------------------------------------

    /** The limits and timers of the sessions this client opens ({@code maxSize}, {@code maxQueue}…). */
    public WebSocketClient options(SessionOptions options) {
        Objects.requireNonNull(options, "options");
        return with(s -> s.options = options);
    }

    /**
     * Observes every frame of the sessions this client opens, data and control frames alike, including the
     * Pongs and Closes the session writes on its own: {@code observerFor} is called once per session, on the
     * connection's event loop when its first frame is sent or received, and returns the {@link FrameObserver}
     * of that session ({@code null} to observe none of its frames). Each observer is then called on that event
     * loop for every frame, in order, with a read-only view of the (decompressed) payload valid only during the
     * call; it must not block, throw or call back into the session (see {@link FrameObserver}).
     *
     * <p>{@code null} (the default) observes nothing: no call and no allocation per frame. The frame trace
     * (DEBUG on the logger {@code dev.wsflux.core.FrameTrace}) works with or without an observer. When the
     * client's sessions run on several event loops (several connections at once), {@code observerFor} may be
     * called from them at the same time: make it thread-safe.
     *
     * <pre>{@code
     * WebSocketClient client = WebSocketClient.create().frameObserver(session -> (direction, opcode, fin, rsv, payload) ->
     *         System.err.println(session.id() + " " + direction + " " + opcode + " " + payload.remaining()));
     * }</pre>
     */
    public WebSocketClient frameObserver(Function<? super WebSocketSession, ? extends FrameObserver> observerFor) {
        return with(s -> s.frameObserver = observerFor);
    }

    /**
     * How long opening a connection may take in total: name resolution, TCP connect, the proxy, TLS, the
     * opening handshake and every redirect (default 10 s). {@code Duration.ZERO} waits forever. Sets
     * {@link SessionOptions#openTimeout()}.
     */
    public WebSocketClient openTimeout(Duration timeout) {
        SessionOptions options = config.options.toBuilder().openTimeout(timeout).build();
        return with(s -> s.options = options);
    }

    /** Follows up to {@code max} redirects (default 10); 0 treats a redirect as a rejection. */
    public WebSocketClient maxRedirects(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxRedirects must be >= 0: " + max);
        }
        return with(s -> s.maxRedirects = max);
    }

    /** The backoff and retry predicate of {@link #sessions(java.net.URI)}. */
    public WebSocketClient reconnect(ReconnectOptions reconnect) {
        Objects.requireNonNull(reconnect, "reconnect");
        return with(s -> s.reconnect = reconnect);
    }

    // ---- transport -----------------------------------------------------------------------------

    /** How to set up TLS for {@code wss://} URIs (default {@link TlsOptions#defaults()}). */
    public WebSocketClient tls(TlsOptions tls) {
        Objects.requireNonNull(tls, "tls");
        return with(s -> s.tls = tls);
    }

    /**
     * Connects to the Unix domain socket at {@code path} instead of the URI's host and port; the URI still
     * gives the scheme, {@code Host} and path. No proxy is used. {@code null} goes back to TCP.
     */
    public WebSocketClient unixSocket(Path path) {
        return with(s -> s.unixSocket = path);
    }

    /** Connects through {@code proxy}, whatever the environment says. */
    public WebSocketClient proxy(ProxyServer proxy) {
        Objects.requireNonNull(proxy, "proxy");
        return with(s -> {
            s.proxy = proxy;
            s.proxyDetector = null;
        });
    }

    /** Connects through the proxy of a URL such as {@code socks5h://user:pw@host:1080}; see {@link ProxyServer#parse}. */
    public WebSocketClient proxy(String proxyUrl) {
        return proxy(ProxyServer.parse(proxyUrl));
    }

    /** Connects directly, whatever the environment says. */
    public WebSocketClient noProxy() {
        return with(s -> {
            s.proxy = null;
            s.proxyDetector = null;
        });
    }

    /**
     * Detects the proxy for each connection from the environment ({@code wss_proxy}, {@code https_proxy},
     * {@code ws_proxy}, {@code http_proxy}, {@code all_proxy}, {@code no_proxy}, in either case) and from
     * the JVM ({@code https.proxyHost}, {@code http.proxyHost}, {@code socksProxyHost},
     * {@code http.nonProxyHosts}, the default {@link java.net.ProxySelector}). This is the default.
     */
    public WebSocketClient proxyFromEnvironment() {
        return proxyDetector(ProxyDetector.system());
    }

    /** Detects proxies with {@code detector} (tests inject an environment). */
    WebSocketClient proxyDetector(ProxyDetector detector) {
        Objects.requireNonNull(detector, "detector");
        return with(s -> {
            s.proxy = null;
            s.proxyDetector = detector;
        });
    }

    // ---- connecting ----------------------------------------------------------------------------

    /**
     * Opens a connection to {@code uri} ({@code ws://} or {@code wss://}) and emits the open session.
     * Nothing happens until subscription; each subscription opens a new connection.
     *
     * <p>Errors: {@link dev.wsflux.protocol.http11.InvalidUriException} for a URI that is not a WebSocket URI;
     * {@link dev.wsflux.protocol.http11.InvalidStatusException} (status, headers, body) when the server answers
     * with anything but 101 or a followed redirect; another
     * {@link dev.wsflux.protocol.http11.InvalidHandshakeException} when its 101 is not valid (a wrong
     * {@code Sec-WebSocket-Accept}, an extension or subprotocol it was not offered) or a redirect is
     * refused; {@link dev.wsflux.client.ProxyException} when the proxy fails; {@link OpenTimeoutException}
     * when all of it takes longer than {@code openTimeout}; {@link ConnectFailedException} when the host name
     * does not resolve, TCP fails or TLS fails, naming the address ({@code "cannot connect to 127.0.0.1:8080:
     * connection refused"}) with the JDK's {@code ConnectException}, {@code UnknownHostException}, {@code
     * SSLHandshakeException}... as its cause. No error, cause included, is a Netty or Reactor type. Cancelling
     * closes the connection being opened.
     */
    public Mono<WebSocketSession> connect(URI uri) {
        Objects.requireNonNull(uri, "uri");
        return Mono.defer(() -> {
            Mono<WebSocketSession> opening = ConnectAttempt.open(config, uri);
            Duration timeout = config.options.openTimeout();
            if (timeout.isZero()) {
                return opening;
            }
            String target = WebSocketUri.of(uri).toString(); // without user info
            return opening.timeout(
                    timeout, Mono.error(() -> new OpenTimeoutException(target, timeout)), config.options.timer());
        });
    }

    /**
     * Connects to {@code uri}, runs {@code handler} on the session and closes it: with 1000 (normal
     * closure) when the handler's publisher completes, with 1011 (internal error) when it errors. Completes
     * when the closing handshake is done; errors with the connection error or the handler's error.
     * Cancelling closes the session with 1001 (going away).
     *
     * <p>The handler runs on the connection's event loop: it must not block (see
     * {@link WebSocketSession}).
     */
    public Mono<Void> handle(URI uri, Function<? super WebSocketSession, ? extends Publisher<Void>> handler) {
        Objects.requireNonNull(handler, "handler");
        return connect(uri).flatMap(session -> Mono.defer(
                        () -> Flux.from(handler.apply(session)).then())
                .then(Mono.defer(() -> session.close(CloseCodes.NORMAL_CLOSURE, "")))
                .onErrorResume(error -> session.close(CloseCodes.INTERNAL_ERROR, "")
                        .onErrorResume(closeError -> Mono.empty())
                        .then(Mono.error(error)))
                .doOnCancel(() -> session.close(CloseCodes.GOING_AWAY, "").subscribe(null, closeError -> {})));
    }

    /**
     * A session to {@code uri}, then a new one each time it is lost: a reconnecting connection, like
     * {@code async for websocket in connect(uri)} in Python {@code websockets}. Failed attempts are retried
     * with the backoff of {@link #reconnect(ReconnectOptions)} while its predicate accepts the error (by
     * default: network errors, timeouts, 500/502/503/504); any other error, such as a 403, ends the
     * {@code Flux} with that error. The next session is opened when the previous one is closed, so process
     * each in {@code concatMap}:
     *
     * <pre>{@code
     * client.sessions(uri)
     *         .concatMap(session -> session.receive().doOnNext(this::process).onErrorResume(e -> Mono.empty()))
     *         .subscribe();
     * }</pre>
     *
     * <p>Cancelling stops reconnecting; it does not close a session already emitted.
     */
    public Flux<WebSocketSession> sessions(URI uri) {
        return sessions(uri, (error, delay) -> {});
    }

    /** {@link #sessions(URI)}, telling {@code onRetry} of each retryable failure and the delay before the next try. */
    Flux<WebSocketSession> sessions(URI uri, BiConsumer<Throwable, Duration> onRetry) {
        Objects.requireNonNull(uri, "uri");
        return Reconnector.sessions(
                () -> connect(uri), config.reconnect, config.options.timer(), new Random(), (error, delay) -> {
                    LOG.info("connection to {} failed ({}); retrying in {} ms", uri.getHost(), error, delay.toMillis());
                    onRetry.accept(error, delay);
                });
    }

    /**
     * Runs a connection to {@code uri} with callbacks instead of publishers, and returns at once. With
     * {@code reconnect}, lost connections are replaced as in {@link #sessions(URI)} ({@link
     * WebSocketListener#onReconnect} for each new one, {@link WebSocketListener#onError} for each failed
     * attempt); without, listening ends when the connection closes or fails to open.
     */
    public Listening listen(URI uri, WebSocketListener listener, boolean reconnect) {
        Objects.requireNonNull(listener, "listener");
        Listening listening = new Listening();
        Scheduler callbacks = Schedulers.boundedElastic();
        Flux<WebSocketSession> sessions = reconnect
                ? sessions(uri, (error, delay) -> callbacks.schedule(() -> listener.onError(error)))
                : connect(uri).flux();
        AtomicInteger opened = new AtomicInteger();
        listening.start(sessions.concatMap(session -> {
                    listening.opened(session);
                    boolean first = opened.getAndIncrement() == 0;
                    return Mono.fromRunnable(() -> {
                                if (first) {
                                    listener.onOpen(session);
                                } else {
                                    listener.onReconnect(session);
                                }
                            })
                            .subscribeOn(callbacks)
                            .thenMany(session.receive().publishOn(callbacks, 1))
                            .doOnNext(message -> listener.onMessage(session, message))
                            .then()
                            .onErrorResume(error -> Mono.fromRunnable(() -> listener.onError(error)))
                            .then(session.closeStatus())
                            .publishOn(callbacks)
                            .doOnNext(status -> listener.onClose(session, status.code(), status.reason()));
                })
                .publishOn(callbacks)
                .subscribe(
                        status -> {},
                        error -> {
                            listener.onError(error);
                            listening.finished();
                        },
                        listening::finished));
        return listening;
    }

    // ---- internals -----------------------------------------------------------------------------

    ClientConfig config() {
        return config;
    }

    private WebSocketClient with(Consumer<ClientConfig> change) {
        ClientConfig copy = config.copy();
        change.accept(copy);
        return new WebSocketClient(copy);
    }

    private static void checkUserHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("upgrade") || lower.equals("connection") || lower.startsWith("sec-websocket-")) {
            throw new IllegalArgumentException(
                    "header " + name + " belongs to the handshake; use the client's options");
        }
    }

    /** The mutable bag behind the immutable client; only ever mutated on a fresh copy. */
    static final class ClientConfig {
        String origin;
        List<String> subprotocols = List.of();
        boolean compression = true;
        ClientExtensionFactory compressionFactory;
        List<ClientExtensionFactory> extensions = List.of();
        Headers headers = Headers.empty();
        String userAgent = DEFAULT_USER_AGENT;
        String host;
        SessionOptions options = SessionOptions.defaults();
        int maxRedirects = Redirects.MAX_REDIRECTS;
        ReconnectOptions reconnect = ReconnectOptions.defaults();
        TlsOptions tls = TlsOptions.defaults();
        Path unixSocket;
        ProxyServer proxy;
        ProxyDetector proxyDetector = ProxyDetector.system();
        Function<? super WebSocketSession, ? extends FrameObserver> frameObserver;

        ClientConfig copy() {
            ClientConfig copy = new ClientConfig();
            copy.origin = origin;
            copy.subprotocols = subprotocols;
            copy.compression = compression;
            copy.compressionFactory = compressionFactory;
            copy.extensions = extensions;
            copy.headers = headers;
            copy.userAgent = userAgent;
            copy.host = host;
            copy.options = options;
            copy.maxRedirects = maxRedirects;
            copy.reconnect = reconnect;
            copy.tls = tls;
            copy.unixSocket = unixSocket;
            copy.proxy = proxy;
            copy.proxyDetector = proxyDetector;
            copy.frameObserver = frameObserver;
            return copy;
        }
    }
}
