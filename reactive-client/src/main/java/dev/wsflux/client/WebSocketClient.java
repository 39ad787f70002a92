package dev.wsflux.client;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.protocol.ClientExtensionFactory;
import dev.wsflux.protocol.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

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
    public static final String DEFAULT_USER_AGENT = "wsflux/" + libraryVersion() + " Java/" + javaVersion();

    private static final WebSocketClient DEFAULT = new WebSocketClient(new Settings());

    private final Settings settings;

    private WebSocketClient(Settings settings) {
        this.settings = settings;
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
            if (subprotocol.isEmpty() || !subprotocol.chars().allMatch(WebSocketClient::isTokenChar)) {
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
     * Offers permessage-deflate as {@code factory} configures it (window bits, context takeover, the
     * minimum size worth compressing), replacing the default offer.
     */
    public WebSocketClient compression(ClientExtensionFactory factory) {
        Objects.requireNonNull(factory, "factory");
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
        Headers headers = settings.headers.toBuilder().add(name, value).build();
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
     * Unix socket for a virtual host. {@code null} goes back to the URI's authority.
     */
    public WebSocketClient host(String host) {
        return with(s -> s.host = host);
    }

    // ---- sessions and timers -------------------------------------------------------------------

    /** The limits and timers of the sessions this client opens ({@code maxSize}, {@code maxQueue}…). */
    public WebSocketClient options(SessionOptions options) {
        Objects.requireNonNull(options, "options");
        return with(s -> s.options = options);
    }

    /**
     * How long opening a connection may take in total: name resolution, TCP connect, the proxy, TLS, the
     * opening handshake and every redirect (default 10 s). {@code Duration.ZERO} waits forever. Sets
     * {@link SessionOptions#openTimeout()}.
     */
    public WebSocketClient openTimeout(Duration timeout) {
        SessionOptions options =
                settings.options.toBuilder().openTimeout(timeout).build();
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

    // ---- internals -----------------------------------------------------------------------------

    Settings settings() {
        return settings;
    }

    private WebSocketClient with(java.util.function.Consumer<Settings> change) {
        Settings copy = settings.copy();
        change.accept(copy);
        return new WebSocketClient(copy);
    }

    /** RFC 7230 §3.2.6 token characters: what a subprotocol name may hold (RFC 6455 §4.1 item 10). */
    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    private static void checkUserHeader(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("upgrade") || lower.equals("connection") || lower.startsWith("sec-websocket-")) {
            throw new IllegalArgumentException(
                    "header " + name + " belongs to the handshake; use the client's options");
        }
    }

    private static String libraryVersion() {
        try (InputStream in = WebSocketClient.class.getResourceAsStream("wsflux-client.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "");
                if (!version.isEmpty() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // fall through: the version is informative only
        }
        return "dev";
    }

    private static String javaVersion() {
        Runtime.Version version = Runtime.version();
        return version.feature() + "." + version.interim() + "." + version.update();
    }

    /** The mutable bag behind the immutable client; only ever mutated on a fresh copy. */
    static final class Settings {
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

        Settings copy() {
            Settings copy = new Settings();
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
            return copy;
        }
    }
}
