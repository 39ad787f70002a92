package dev.wsflux.client;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Finds the proxy for a WebSocket URI from the environment and the JVM, the way Python
 * {@code websockets} does ({@code get_proxy}, which follows {@code urllib.request.getproxies()}).
 * Immutable and thread-safe.
 *
 * <p>The first source that names a proxy wins:
 *
 * <ol>
 *   <li>Environment variables: {@code wss_proxy} then {@code https_proxy} for {@code wss://};
 *       {@code ws_proxy} then {@code http_proxy} for {@code ws://}; then {@code all_proxy} (curl's
 *       fallback). Names are case-insensitive and the lower-case spelling wins over the upper-case one,
 *       as in {@code urllib}. {@code HTTP_PROXY} (upper case) is ignored when {@code REQUEST_METHOD} is
 *       set, because in a CGI script it comes from the client's {@code Proxy:} header ("httpoxy").
 *       {@code no_proxy} / {@code NO_PROXY} ({@link NoProxyRules}) exempts hosts from them.
 *   <li>JVM system properties: {@code https.proxyHost}/{@code https.proxyPort} for {@code wss://},
 *       {@code http.proxyHost}/{@code http.proxyPort} for {@code ws://}, both exempted by
 *       {@code http.nonProxyHosts} (the JDK's default {@code localhost|127.*|[::1]} when unset); then
 *       {@code socksProxyHost}/{@code socksProxyPort} with {@code socksProxyVersion} (4 or 5) and
 *       {@code java.net.socks.username}/{@code java.net.socks.password}.
 *   <li>The JVM's {@link ProxySelector} (which may read the desktop settings with
 *       {@code java.net.useSystemProxies=true}), asked for {@code https://host:port} or
 *       {@code http://host:port}.
 * </ol>
 *
 * <p>Connections to a Unix domain socket never use a proxy.
 */
final class ProxyDetector {
    private static final String DEFAULT_JAVA_NON_PROXY_HOSTS = "localhost|127.*|[::1]";

    private final Map<String, String> proxies;
    private final NoProxyRules noProxy;
    private final Properties properties;
    private final Supplier<ProxySelector> selector;

    /**
     * A detector over explicit sources (tests inject them).
     *
     * @param environment the environment variables
     * @param properties the system properties
     * @param selector the proxy selector, or {@code null} for none
     */
    ProxyDetector(Map<String, String> environment, Properties properties, ProxySelector selector) {
        this(environment, properties, () -> selector);
    }

    private ProxyDetector(Map<String, String> environment, Properties properties, Supplier<ProxySelector> selector) {
        this.proxies = proxiesFromEnvironment(environment);
        this.noProxy = NoProxyRules.parse(proxies.get("no"));
        this.properties = Objects.requireNonNull(properties, "properties");
        this.selector = selector;
    }

    /**
     * The detector reading this process's environment and (live) system properties, and asking the
     * default proxy selector current at each connection.
     */
    static ProxyDetector system() {
        return SYSTEM;
    }

    private static final ProxyDetector SYSTEM =
            new ProxyDetector(System.getenv(), System.getProperties(), ProxySelector::getDefault);

    /**
     * The proxy to use for a connection to {@code host}:{@code port}, if any.
     *
     * @param secure whether the URI is {@code wss://}
     */
    Optional<ProxyServer> proxyFor(boolean secure, String host, int port) {
        Optional<ProxyServer> decision = fromEnvironment(secure, host, port);
        if (decision == null) {
            decision = fromProperties(secure, host, port);
        }
        return decision != null ? decision : fromSelector(secure, host, port);
    }

    /**
     * Environment variables ending in {@code _proxy}, keyed by their prefix in lower case. As in
     * {@code urllib.request.getproxies_environment()}: any spelling is read, then lower-case names
     * overwrite the others.
     */
    private static Map<String, String> proxiesFromEnvironment(Map<String, String> environment) {
        Map<String, String> proxies = new HashMap<>();
        for (int pass = 0; pass < 2; pass++) {
            for (Map.Entry<String, String> variable : environment.entrySet()) {
                String name = variable.getKey();
                String lower = name.toLowerCase(Locale.ROOT);
                boolean lowerCase = name.equals(lower);
                if (!lower.endsWith("_proxy") || variable.getValue().isBlank() || (pass == 1 && !lowerCase)) {
                    continue;
                }
                if (pass == 0 && lowerCase) {
                    continue;
                }
                // "httpoxy": in a CGI script, HTTP_PROXY comes from the request's Proxy header.
                if (name.equals("HTTP_PROXY") && environment.containsKey("REQUEST_METHOD")) {
                    continue;
                }
                proxies.put(lower.substring(0, lower.length() - "_proxy".length()), variable.getValue());
            }
        }
        return proxies;
    }

    /** The environment's decision: a proxy, none (exempted by {@code no_proxy}), or {@code null} if silent. */
    private Optional<ProxyServer> fromEnvironment(boolean secure, String host, int port) {
        String url = null;
        for (String scheme : secure ? List.of("wss", "https", "all") : List.of("ws", "http", "all")) {
            url = url != null ? url : proxies.get(scheme);
        }
        if (url == null) {
            return null;
        }
        return noProxy.matches(host, port) ? Optional.empty() : Optional.of(ProxyServer.parse(url));
    }

    /** The system properties' decision: a proxy, none (exempted), or {@code null} if silent. */
    private Optional<ProxyServer> fromProperties(boolean secure, String host, int port) {
        String prefix = secure ? "https." : "http.";
        String proxyHost = properties.getProperty(prefix + "proxyHost");
        if (proxyHost != null && !proxyHost.isBlank()) {
            String patterns = properties.getProperty("http.nonProxyHosts", DEFAULT_JAVA_NON_PROXY_HOSTS);
            if (NoProxyRules.parseJavaNonProxyHosts(patterns).matches(host, port)) {
                return Optional.empty();
            }
            int proxyPort = intProperty(prefix + "proxyPort", secure ? 443 : 80);
            return Optional.of(ProxyServer.of(ProxyServer.Type.HTTP, proxyHost.strip(), proxyPort));
        }
        String socksHost = properties.getProperty("socksProxyHost");
        if (socksHost != null && !socksHost.isBlank()) {
            int socksPort = intProperty("socksProxyPort", ProxyServer.DEFAULT_SOCKS_PORT);
            ProxyServer.Type type =
                    "4".equals(properties.getProperty("socksProxyVersion", "5").strip())
                            ? ProxyServer.Type.SOCKS4
                            : ProxyServer.Type.SOCKS5;
            String user = properties.getProperty("java.net.socks.username");
            String password = user == null ? null : properties.getProperty("java.net.socks.password");
            return Optional.of(new ProxyServer(type, socksHost.strip(), socksPort, user, password));
        }
        return null;
    }

    private int intProperty(String name, int defaultValue) {
        String value = properties.getProperty(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + name + " is not a port: " + value, e);
        }
    }

    private Optional<ProxyServer> fromSelector(boolean secure, String host, int port) {
        ProxySelector selector = this.selector.get();
        if (selector == null) {
            return Optional.empty();
        }
        String literal = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        URI target = URI.create((secure ? "https://" : "http://") + literal + ":" + port);
        List<Proxy> choices = selector.select(target);
        for (Proxy choice : choices == null ? List.<Proxy>of() : choices) {
            SocketAddress address = choice.address();
            if (choice.type() == Proxy.Type.DIRECT || !(address instanceof InetSocketAddress inet)) {
                continue;
            }
            ProxyServer.Type type = choice.type() == Proxy.Type.HTTP ? ProxyServer.Type.HTTP : ProxyServer.Type.SOCKS5;
            return Optional.of(ProxyServer.of(type, inet.getHostString(), inet.getPort()));
        }
        return Optional.empty();
    }
}
