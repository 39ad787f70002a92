package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsflux.client.ProxyServer.Type;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProxyDetectorTest {
    private static final Properties NO_PROPERTIES = new Properties();

    private static Optional<ProxyServer> detect(Map<String, String> env, boolean secure, String host, int port) {
        return new ProxyDetector(env, NO_PROPERTIES, null).proxyFor(secure, host, port);
    }

    private static Properties properties(String... namesAndValues) {
        Properties properties = new Properties();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            properties.setProperty(namesAndValues[i], namesAndValues[i + 1]);
        }
        return properties;
    }

    /** A selector that answers with {@code proxies} and records what it was asked. */
    private static final class RecordingSelector extends ProxySelector {
        final List<URI> asked = new ArrayList<>();
        final List<Proxy> proxies;

        RecordingSelector(Proxy... proxies) {
            this.proxies = List.of(proxies);
        }

        @Override
        public List<Proxy> select(URI uri) {
            asked.add(uri);
            return proxies;
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException error) {}
    }

    @Nested
    class Environment {
        @Test
        void usesWssProxyThenHttpsProxyForSecureUris() {
            Map<String, String> env = Map.of("wss_proxy", "socks5h://a:1", "https_proxy", "http://b:2");
            assertEquals(Optional.of(ProxyServer.parse("socks5h://a:1")), detect(env, true, "h", 443));
            assertEquals(
                    Optional.of(ProxyServer.parse("http://b:2")),
                    detect(Map.of("https_proxy", "http://b:2", "http_proxy", "http://c:3"), true, "h", 443));
        }

        @Test
        void usesWsProxyThenHttpProxyForPlainUris() {
            assertEquals(
                    Optional.of(ProxyServer.parse("http://a:1")),
                    detect(Map.of("ws_proxy", "http://a:1", "http_proxy", "http://b:2"), false, "h", 80));
            assertEquals(
                    Optional.of(ProxyServer.parse("http://b:2")),
                    detect(Map.of("http_proxy", "http://b:2", "https_proxy", "http://c:3"), false, "h", 80));
        }

        @Test
        void fallsBackToAllProxy() {
            assertEquals(
                    Optional.of(ProxyServer.parse("socks5://a:1")),
                    detect(Map.of("ALL_PROXY", "socks5://a:1"), true, "h", 443));
        }

        @Test
        void readsUpperCaseNamesButLowerCaseWins() {
            assertEquals(
                    Optional.of(ProxyServer.parse("http://upper:1")),
                    detect(Map.of("HTTPS_PROXY", "http://upper:1"), true, "h", 443));
            assertEquals(
                    Optional.of(ProxyServer.parse("http://lower:2")),
                    detect(Map.of("HTTPS_PROXY", "http://upper:1", "https_proxy", "http://lower:2"), true, "h", 443));
            assertEquals(
                    Optional.of(ProxyServer.parse("http://mixed:3")),
                    detect(Map.of("Https_Proxy", "http://mixed:3"), true, "h", 443));
        }

        @Test
        void ignoresUpperCaseHttpProxyInACgiScript() {
            assertEquals(
                    Optional.empty(),
                    detect(Map.of("HTTP_PROXY", "http://attacker:1", "REQUEST_METHOD", "GET"), false, "h", 80));
            assertEquals(
                    Optional.of(ProxyServer.parse("http://mine:1")),
                    detect(Map.of("http_proxy", "http://mine:1", "REQUEST_METHOD", "GET"), false, "h", 80));
        }

        @Test
        void ignoresBlankValues() {
            assertEquals(Optional.empty(), detect(Map.of("https_proxy", " "), true, "h", 443));
        }

        @Test
        void noProxyExemptsHostsAndSkipsTheOtherSources() {
            Map<String, String> env =
                    Map.of("https_proxy", "http://p:1", "NO_PROXY", ".internal,10.0.0.0/8,*.svc:8443");
            RecordingSelector selector = new RecordingSelector(Proxy.NO_PROXY);
            ProxyDetector detector = new ProxyDetector(env, properties("https.proxyHost", "jvm-proxy"), selector);
            assertEquals(Optional.empty(), detector.proxyFor(true, "db.internal", 443));
            assertEquals(Optional.empty(), detector.proxyFor(true, "10.1.2.3", 443));
            assertEquals(Optional.empty(), detector.proxyFor(true, "api.svc", 8443));
            assertEquals(Optional.of(ProxyServer.parse("http://p:1")), detector.proxyFor(true, "api.svc", 443));
            assertEquals(List.of(), selector.asked);
        }

        @Test
        void lowerCaseNoProxyWins() {
            Map<String, String> env = Map.of("http_proxy", "http://p:1", "NO_PROXY", "a.test", "no_proxy", "b.test");
            assertEquals(Optional.empty(), detect(env, false, "b.test", 80));
            assertEquals(Optional.of(ProxyServer.parse("http://p:1")), detect(env, false, "a.test", 80));
        }
    }

    @Nested
    class JvmProperties {
        @Test
        void usesHttpsProxyHostForSecureUris() {
            ProxyDetector detector = new ProxyDetector(
                    Map.of(),
                    properties("https.proxyHost", "sp", "https.proxyPort", "8443", "http.proxyHost", "p"),
                    null);
            assertEquals(Optional.of(ProxyServer.of(Type.HTTP, "sp", 8443)), detector.proxyFor(true, "h", 443));
            assertEquals(Optional.of(ProxyServer.of(Type.HTTP, "p", 80)), detector.proxyFor(false, "h", 80));
        }

        @Test
        void defaultsTheHttpsProxyPortTo443() {
            ProxyDetector detector = new ProxyDetector(Map.of(), properties("https.proxyHost", "sp"), null);
            assertEquals(Optional.of(ProxyServer.of(Type.HTTP, "sp", 443)), detector.proxyFor(true, "h", 443));
        }

        @Test
        void honoursNonProxyHostsWithTheJdkDefault() {
            ProxyDetector defaults = new ProxyDetector(Map.of(), properties("http.proxyHost", "p"), null);
            assertEquals(Optional.empty(), defaults.proxyFor(false, "localhost", 80));
            assertEquals(Optional.empty(), defaults.proxyFor(false, "127.0.0.1", 80));
            ProxyDetector custom =
                    new ProxyDetector(Map.of(), properties("http.proxyHost", "p", "http.nonProxyHosts", "*.lan"), null);
            assertEquals(Optional.empty(), custom.proxyFor(false, "nas.lan", 80));
            assertEquals(Optional.of(ProxyServer.of(Type.HTTP, "p", 80)), custom.proxyFor(false, "localhost", 80));
        }

        @Test
        void usesSocksProxyHostWithVersionAndCredentials() {
            ProxyDetector v5 = new ProxyDetector(
                    Map.of(),
                    properties(
                            "socksProxyHost", "s",
                            "java.net.socks.username", "u",
                            "java.net.socks.password", "pw"),
                    null);
            assertEquals(Optional.of(new ProxyServer(Type.SOCKS5, "s", 1080, "u", "pw")), v5.proxyFor(true, "h", 443));
            ProxyDetector v4 = new ProxyDetector(
                    Map.of(),
                    properties("socksProxyHost", "s", "socksProxyPort", "1081", "socksProxyVersion", "4"),
                    null);
            assertEquals(Optional.of(ProxyServer.of(Type.SOCKS4, "s", 1081)), v4.proxyFor(false, "h", 80));
        }

        @Test
        void rejectsAPortThatIsNotANumber() {
            ProxyDetector detector =
                    new ProxyDetector(Map.of(), properties("http.proxyHost", "p", "http.proxyPort", "eighty"), null);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> detector.proxyFor(false, "h", 80));
            assertEquals("system property http.proxyPort is not a port: eighty", e.getMessage());
        }

        @Test
        void environmentComesFirst() {
            ProxyDetector detector =
                    new ProxyDetector(Map.of("http_proxy", "http://env:1"), properties("http.proxyHost", "jvm"), null);
            assertEquals(Optional.of(ProxyServer.parse("http://env:1")), detector.proxyFor(false, "h", 80));
        }
    }

    @Nested
    class Selector {
        @Test
        void asksForAnHttpsOrHttpUri() {
            RecordingSelector selector = new RecordingSelector(Proxy.NO_PROXY);
            ProxyDetector detector = new ProxyDetector(Map.of(), NO_PROPERTIES, selector);
            assertEquals(Optional.empty(), detector.proxyFor(true, "h", 8443));
            assertEquals(Optional.empty(), detector.proxyFor(false, "::1", 80));
            assertEquals(List.of(URI.create("https://h:8443"), URI.create("http://[::1]:80")), selector.asked);
        }

        @Test
        void mapsHttpAndSocksProxies() {
            Proxy http = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("hp", 3128));
            Proxy socks = new Proxy(Proxy.Type.SOCKS, InetSocketAddress.createUnresolved("sp", 1080));
            assertEquals(
                    Optional.of(ProxyServer.of(Type.HTTP, "hp", 3128)),
                    new ProxyDetector(Map.of(), NO_PROPERTIES, new RecordingSelector(Proxy.NO_PROXY, http))
                            .proxyFor(true, "h", 443));
            assertEquals(
                    Optional.of(ProxyServer.of(Type.SOCKS5, "sp", 1080)),
                    new ProxyDetector(Map.of(), NO_PROPERTIES, new RecordingSelector(socks)).proxyFor(true, "h", 443));
        }

        @Test
        void toleratesANullAnswer() {
            ProxySelector selector = new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    return null;
                }

                @Override
                public void connectFailed(URI uri, SocketAddress address, IOException error) {}
            };
            assertEquals(Optional.empty(), new ProxyDetector(Map.of(), NO_PROPERTIES, selector).proxyFor(true, "h", 1));
        }

        @Test
        void isNotAskedWhenThePropertiesDecided() {
            RecordingSelector selector = new RecordingSelector(Proxy.NO_PROXY);
            new ProxyDetector(Map.of(), properties("http.proxyHost", "p"), selector).proxyFor(false, "localhost", 80);
            assertEquals(List.of(), selector.asked);
        }
    }
}
