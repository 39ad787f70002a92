package dev.wsflux.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * A proxy to connect through: its kind, address and optional credentials. Immutable.
 *
 * <p>Parse one from a proxy URL with {@link #parse(String)}, the notation of {@code http_proxy} and of
 * Python {@code websockets}' {@code proxy=} argument:
 *
 * <pre>
 * http://proxy.example.com:3128          HTTP CONNECT (RFC 9110 §9.3.6)
 * http://user:secret@proxy.example:3128  ... with Basic Proxy-Authorization
 * socks4://127.0.0.1:1080                SOCKS4, the client resolves the host name
 * socks4a://proxy:1080                   SOCKS4a, the proxy resolves it
 * socks5://user:pw@proxy:1080            SOCKS5 (RFC 1928, RFC 1929), the client resolves it
 * socks5h://proxy:1080                   SOCKS5, the proxy resolves it
 * </pre>
 *
 * <p>A URL without a scheme ({@code proxy:3128}) is an HTTP proxy, as curl reads it. HTTPS proxies (TLS
 * to the proxy itself) are not supported.
 *
 * @param type the proxy protocol
 * @param host the proxy's host name or IP literal (without brackets)
 * @param port the proxy's port
 * @param username the user name, or {@code null} for none
 * @param password the password, or {@code null} for none
 */
public record ProxyServer(Type type, String host, int port, String username, String password) {

    /** The default port of an HTTP proxy URL without a port, as in Python {@code websockets}. */
    public static final int DEFAULT_HTTP_PORT = 80;

    /** The default port of a SOCKS proxy URL without a port (RFC 1928 §3: "port 1080"). */
    public static final int DEFAULT_SOCKS_PORT = 1080;

    /** The protocol spoken with a proxy. */
    public enum Type {
        /** HTTP CONNECT tunnelling. */
        HTTP("http", DEFAULT_HTTP_PORT),
        /** SOCKS4; the client resolves the destination host name. */
        SOCKS4("socks4", DEFAULT_SOCKS_PORT),
        /** SOCKS4a; the proxy resolves the destination host name. */
        SOCKS4A("socks4a", DEFAULT_SOCKS_PORT),
        /** SOCKS5; the client resolves the destination host name. */
        SOCKS5("socks5", DEFAULT_SOCKS_PORT),
        /** SOCKS5; the proxy resolves the destination host name. */
        SOCKS5H("socks5h", DEFAULT_SOCKS_PORT);

        private final String scheme;
        private final int defaultPort;

        Type(String scheme, int defaultPort) {
            this.scheme = scheme;
            this.defaultPort = defaultPort;
        }

        /** The URL scheme naming this type, e.g. {@code socks5h}. */
        public String scheme() {
            return scheme;
        }

        /** Whether the proxy, not the client, resolves the destination's host name. */
        public boolean resolvesRemotely() {
            return this == HTTP || this == SOCKS4A || this == SOCKS5H;
        }

        static Type ofScheme(String scheme, String url) {
            for (Type type : values()) {
                if (type.scheme.equals(scheme)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unsupported proxy scheme: " + scheme + " in " + redact(url)
                    + " (expected http, socks4, socks4a, socks5 or socks5h)");
        }
    }

    /** Validates the components. */
    public ProxyServer {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("proxy host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port out of range: " + port);
        }
        if (password != null && username == null) {
            throw new IllegalArgumentException("proxy password given without a user name");
        }
    }

    /** A proxy without credentials. */
    public static ProxyServer of(Type type, String host, int port) {
        return new ProxyServer(type, host, port, null, null);
    }

    /**
     * Parses a proxy URL such as {@code socks5h://user:pw@127.0.0.1:1080}; percent-encoded credentials are
     * decoded.
     *
     * @throws IllegalArgumentException when the URL is malformed or its scheme is not supported
     */
    public static ProxyServer parse(String url) {
        Objects.requireNonNull(url, "url");
        String text = url.strip();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed proxy url: " + redact(url), e);
        }
        Type type = Type.ofScheme(uri.getScheme().toLowerCase(Locale.ROOT), url);
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("proxy url has no host: " + redact(url));
        }
        if (uri.getRawPath() != null
                && !uri.getRawPath().isEmpty()
                && !uri.getRawPath().equals("/")) {
            throw new IllegalArgumentException("proxy url must not have a path: " + redact(url));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() == -1 ? type.defaultPort : uri.getPort();
        String username = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        return new ProxyServer(type, host, port, username, password);
    }

    /** This proxy with credentials. */
    public ProxyServer withCredentials(String username, String password) {
        return new ProxyServer(type, host, port, Objects.requireNonNull(username, "username"), password);
    }

    /** The proxy URL, with the password masked. */
    @Override
    public String toString() {
        StringBuilder url = new StringBuilder(type.scheme).append("://");
        if (username != null) {
            url.append(username);
            if (password != null) {
                url.append(":****");
            }
            url.append('@');
        }
        url.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(port);
        return url.toString();
    }

    private static String decode(String text) {
        // URLDecoder would turn '+' into a space, which is form encoding, not URL userinfo encoding.
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The url with any password hidden, for error messages. */
    static String redact(String url) {
        int at = url.lastIndexOf('@');
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        if (at < start) {
            return url;
        }
        int colon = url.indexOf(':', start);
        return colon >= 0 && colon < at ? url.substring(0, colon) + ":****" + url.substring(at) : url;
    }
}
