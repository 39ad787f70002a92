package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/** The byte stream under the handshake, over loopback: direct, Unix socket, and through real proxies. */
class ClientTransportIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static DisposableServer echo;

    @BeforeAll
    static void startEcho() {
        echo = TcpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((in, out) -> out.send(in.receive().retain()))
                .bindNow();
    }

    @AfterAll
    static void stopEcho() {
        echo.disposeNow();
    }

    private static WebSocketClient.ClientConfig settings() {
        return WebSocketClient.create().config();
    }

    /** Sends a line over the connection and returns what comes back. */
    private static String roundTrip(Mono<Connection> connecting) {
        Connection connection = connecting.block(TIMEOUT);
        try {
            return connection
                    .outbound()
                    .sendString(Mono.just("hello through"))
                    .then()
                    .then(connection.inbound().receive().asString().next())
                    .block(TIMEOUT);
        } finally {
            connection.disposeNow();
        }
    }

    private static Mono<Connection> through(ProxyServer proxy) {
        return ClientTransport.connect(settings(), false, "127.0.0.1", echo.port(), Optional.of(proxy));
    }

    @Test
    void connectsDirectly() {
        assertEquals(
                "hello through",
                roundTrip(ClientTransport.connect(settings(), false, "127.0.0.1", echo.port(), Optional.empty())));
    }

    @Test
    void connectsToAUnixSocket(@TempDir Path dir) {
        Path socket = dir.resolve("echo.sock");
        DisposableServer unix = TcpServer.create()
                .bindAddress(() -> ClientTransport.unixSocketAddress(socket))
                .handle((in, out) -> out.send(in.receive().retain()))
                .bindNow();
        try {
            WebSocketClient.ClientConfig settings =
                    WebSocketClient.create().unixSocket(socket).config();
            assertEquals(
                    "hello through",
                    roundTrip(ClientTransport.connect(settings, false, "ignored.example", 80, Optional.empty())));
        } finally {
            unix.disposeNow();
        }
    }

    @Nested
    class HttpConnect {
        @Test
        void tunnelsThroughTinyproxy(@TempDir Path dir) throws Exception {
            try (ProxyDaemon proxy = ProxyDaemon.tinyproxy(dir, null, null)) {
                assertEquals(
                        "hello through", roundTrip(through(ProxyServer.parse("http://127.0.0.1:" + proxy.port()))));
            }
        }

        @Test
        void sendsBasicCredentials(@TempDir Path dir) throws Exception {
            try (ProxyDaemon proxy = ProxyDaemon.tinyproxy(dir, "alice", "s3cret")) {
                assertEquals(
                        "hello through",
                        roundTrip(through(ProxyServer.parse("http://alice:s3cret@127.0.0.1:" + proxy.port()))));
            }
        }

        @Test
        void reportsTheProxyStatusWhenCredentialsAreWrong(@TempDir Path dir) throws Exception {
            try (ProxyDaemon proxy = ProxyDaemon.tinyproxy(dir, "alice", "s3cret")) {
                ProxyServer server = ProxyServer.parse("http://alice:wrong@127.0.0.1:" + proxy.port());
                ProxyException e =
                        assertThrows(ProxyException.class, () -> through(server).block(TIMEOUT));
                // RFC 9110 says 407; tinyproxy 1.11 answers a CONNECT with 401. Either way the status is kept.
                assertTrue(e.status() == 407 || e.status() == 401, e::toString);
                assertTrue(e.getMessage().contains("answered HTTP " + e.status()), e.getMessage());
                assertTrue(!e.getMessage().contains("wrong"), "the password must not leak: " + e.getMessage());
                assertTrue(!ReconnectOptions.isRetryable(e));
            }
        }
    }

    @Nested
    class Socks {
        @ParameterizedTest
        @EnumSource(
                value = ProxyServer.Type.class,
                names = {"SOCKS4", "SOCKS4A", "SOCKS5", "SOCKS5H"})
        void tunnelsThroughDante(ProxyServer.Type type, @TempDir Path dir) throws Exception {
            try (ProxyDaemon proxy = ProxyDaemon.danted(dir)) {
                ProxyServer server = ProxyServer.of(type, "127.0.0.1", proxy.port());
                // SOCKS5h sends the name for the proxy to resolve; the others send an address.
                String host = type == ProxyServer.Type.SOCKS5H ? "localhost" : "127.0.0.1";
                assertEquals(
                        "hello through",
                        roundTrip(ClientTransport.connect(settings(), false, host, echo.port(), Optional.of(server))),
                        proxy::log);
            }
        }

        @Test
        void authenticatesWithUserAndPassword(@TempDir Path dir) throws Exception {
            try (ProxyDaemon proxy = ProxyDaemon.microsocks(dir, "bob", "pa55")) {
                assertEquals(
                        "hello through",
                        roundTrip(through(ProxyServer.parse("socks5://bob:pa55@127.0.0.1:" + proxy.port()))));
            }
        }

        @Test
        void failsWithAProxyExceptionWhenAuthenticationFails(@TempDir Path dir) throws Exception {
            try (ProxyDaemon proxy = ProxyDaemon.microsocks(dir, "bob", "pa55")) {
                ProxyServer server = ProxyServer.parse("socks5://bob:nope@127.0.0.1:" + proxy.port());
                ProxyException e =
                        assertThrows(ProxyException.class, () -> through(server).block(TIMEOUT));
                assertEquals(-1, e.status());
                assertTrue(e.getMessage().contains("through proxy socks5://bob:****@127.0.0.1"), e.getMessage());
            }
        }
    }

    @Test
    void aProxyThatIsDownIsARetryableProxyException() throws Exception {
        int closedPort = ProxyDaemon.freePort();
        ProxyServer server = ProxyServer.of(ProxyServer.Type.HTTP, "127.0.0.1", closedPort);
        ProxyException e =
                assertThrows(ProxyException.class, () -> through(server).block(TIMEOUT));
        assertInstanceOf(ConnectException.class, e.getCause(), e::toString);
        assertTrue(ReconnectOptions.isRetryable(e));
    }

    @Test
    void socks5ResolvesTheHostLocally() {
        // An unresolvable name fails before any proxy is contacted (port 9 is never listened to here).
        ProxyServer server = ProxyServer.of(ProxyServer.Type.SOCKS5, "127.0.0.1", 9);
        ProxyException e = assertThrows(ProxyException.class, () -> ClientTransport.connect(
                        settings(), false, "no-such-host.invalid", 80, Optional.of(server))
                .block(TIMEOUT));
        assertInstanceOf(java.net.UnknownHostException.class, e.getCause(), e::toString);
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }
}
