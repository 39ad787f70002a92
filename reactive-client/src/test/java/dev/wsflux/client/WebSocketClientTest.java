package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.protocol.extensions.ClientExtensionFactory;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateClientFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateOptions;
import dev.wsflux.protocol.http11.ExtensionOffer;
import dev.wsflux.protocol.http11.Headers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebSocketClientTest {
    private static final WebSocketClient DEFAULT = WebSocketClient.create();

    /** A stand-in for a tuned permessage-deflate factory. */
    private static final ClientExtensionFactory TUNED = new ClientExtensionFactory() {
        @Override
        public String name() {
            return "permessage-deflate";
        }

        @Override
        public List<ExtensionOffer> offers() {
            return List.of();
        }

        @Override
        public Extension accept(ExtensionOffer response, List<Extension> accepted) {
            throw new UnsupportedOperationException();
        }
    };

    @Nested
    class Immutability {
        @Test
        void everyOptionReturnsANewClientAndLeavesTheOriginalAlone() {
            WebSocketClient changed = DEFAULT.origin("https://a.example").subprotocols("chat");
            assertNotSame(DEFAULT, changed);
            assertNull(DEFAULT.config().origin);
            assertEquals(List.of(), DEFAULT.config().subprotocols);
            assertEquals("https://a.example", changed.config().origin);
            assertEquals(List.of("chat"), changed.config().subprotocols);
        }

        @Test
        void createReturnsTheSharedDefaults() {
            assertSame(WebSocketClient.create(), WebSocketClient.create());
        }
    }

    @Nested
    class Defaults {
        @Test
        void matchDesignMd() {
            WebSocketClient.ClientConfig s = DEFAULT.config();
            assertNull(s.origin);
            assertTrue(s.compression);
            assertNull(s.compressionFactory);
            assertEquals(Headers.empty(), s.headers);
            assertEquals(WebSocketClient.DEFAULT_USER_AGENT, s.userAgent);
            assertEquals(SessionOptions.defaults(), s.options);
            assertEquals(Duration.ofSeconds(10), s.options.openTimeout());
            assertEquals(10, s.maxRedirects);
            assertSame(ReconnectOptions.defaults(), s.reconnect);
            assertSame(TlsOptions.defaults(), s.tls);
            assertNull(s.proxy);
            assertTrue(s.proxyDetector != null, "proxies are detected by default");
            assertNull(s.unixSocket);
        }

        @Test
        void userAgentNamesTheLibraryAndJava() {
            assertTrue(
                    WebSocketClient.DEFAULT_USER_AGENT.matches("wsflux/\\S+ Java/\\d+\\.\\d+\\.\\d+"),
                    WebSocketClient.DEFAULT_USER_AGENT);
            assertFalse(WebSocketClient.DEFAULT_USER_AGENT.contains("${"), WebSocketClient.DEFAULT_USER_AGENT);
        }
    }

    @Nested
    class HandshakeOptions {
        @Test
        void rejectsSubprotocolsThatAreNotTokens() {
            assertThrows(IllegalArgumentException.class, () -> DEFAULT.subprotocols("a b"));
            assertThrows(IllegalArgumentException.class, () -> DEFAULT.subprotocols(""));
            assertThrows(IllegalArgumentException.class, () -> DEFAULT.subprotocols("x,y"));
            assertEquals(
                    List.of("v1.chat", "v2"),
                    DEFAULT.subprotocols(List.of("v1.chat", "v2")).config().subprotocols);
        }

        @Test
        void compressionCanBeTurnedOffOrTuned() {
            assertFalse(DEFAULT.compression(false).config().compression);
            PerMessageDeflateOptions small =
                    PerMessageDeflateOptions.builder().clientMaxWindowBits(9).build();
            WebSocketClient tuned = DEFAULT.compression(false).compression(small);
            assertTrue(tuned.config().compression);
            assertEquals(
                    PerMessageDeflateClientFactory.of(small).offers(),
                    tuned.config().compressionFactory.offers());
            assertNull(tuned.compression(true).config().compressionFactory);
        }

        @Test
        void extensionsAreKept() {
            assertEquals(List.of(TUNED), DEFAULT.extensions(List.of(TUNED)).config().extensions);
        }

        @Test
        void headersAccumulateAndMayRepeat() {
            WebSocketClient client =
                    DEFAULT.header("Cookie", "a=1").header("X-Tag", "x").header("X-Tag", "y");
            assertEquals(List.of("x", "y"), client.config().headers.all("x-tag"));
            assertEquals(
                    Headers.of("A", "b"), client.headers(Headers.of("A", "b")).config().headers);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Upgrade", "connection", "Sec-WebSocket-Key", "sec-websocket-protocol"})
        void refusesHeadersTheHandshakeOwns(String name) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DEFAULT.header(name, "x"));
            assertTrue(e.getMessage().contains(name), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> DEFAULT.headers(Headers.of(name, "x")));
        }

        @Test
        void userAgentCanBeReplacedOrRemoved() {
            assertEquals("bot/1", DEFAULT.userAgent("bot/1").config().userAgent);
            assertNull(DEFAULT.noUserAgent().config().userAgent);
            assertThrows(NullPointerException.class, () -> DEFAULT.userAgent(null));
        }

        @Test
        void hostCanBeOverridden() {
            assertEquals(
                    "virtual.example", DEFAULT.hostHeader("virtual.example").config().host);
        }
    }

    @Nested
    class SessionAndTimers {
        @Test
        void openTimeoutSetsTheSessionOption() {
            SessionOptions options = SessionOptions.builder().maxSize(5).build();
            WebSocketClient client = DEFAULT.options(options).openTimeout(Duration.ofSeconds(3));
            assertEquals(Duration.ofSeconds(3), client.config().options.openTimeout());
            assertEquals(5, client.config().options.maxSize());
        }

        @Test
        void maxRedirectsMustNotBeNegative() {
            assertEquals(0, DEFAULT.maxRedirects(0).config().maxRedirects);
            assertThrows(IllegalArgumentException.class, () -> DEFAULT.maxRedirects(-1));
        }

        @Test
        void reconnectOptionsAreKept() {
            ReconnectOptions reconnect = ReconnectOptions.defaults().withRetryIf(e -> false);
            assertSame(reconnect, DEFAULT.reconnect(reconnect).config().reconnect);
        }
    }

    @Nested
    class Transport {
        @Test
        void proxyChoicesReplaceEachOther() {
            WebSocketClient explicit = DEFAULT.proxy("socks5h://127.0.0.1:1080");
            assertEquals(ProxyServer.parse("socks5h://127.0.0.1:1080"), explicit.config().proxy);
            assertNull(explicit.config().proxyDetector);
            WebSocketClient none = explicit.noProxy();
            assertNull(none.config().proxy);
            assertNull(none.config().proxyDetector);
            WebSocketClient auto = none.proxyFromEnvironment();
            assertNull(auto.config().proxy);
            assertTrue(auto.config().proxyDetector != null);
            ProxyDetector detector = new ProxyDetector(Map.of(), new Properties(), null);
            assertSame(detector, explicit.proxyDetector(detector).config().proxyDetector);
            assertNull(explicit.proxyDetector(detector).config().proxy);
        }

        @Test
        void unixSocketAndTlsAreKept() {
            Path socket = Path.of("/run/app.sock");
            TlsOptions tls = TlsOptions.insecure();
            WebSocketClient client = DEFAULT.unixSocket(socket).tls(tls);
            assertEquals(socket, client.config().unixSocket);
            assertSame(tls, client.config().tls);
        }
    }
}
