package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.WebSocketException;
import dev.wsflux.protocol.http11.InvalidHttpMessageException;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each way of failing to connect, through the reactive ({@link WebSocketClient#connect}), blocking ({@link
 * BlockingWebSocket#connect}) and listener ({@link WebSocketClient#listen}) APIs: the same wsflux exception
 * in each, whose message says what happened and where, whose cause is the JDK's exception, and in whose chain
 * of causes no Netty or Reactor type appears (docs/ARCHITECTURE.md §7: no Netty type, exceptions included, reaches a user).
 */
class ConnectErrorsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Without an open timeout, a slow resolver still ends in its own error rather than ours. */
    private static final WebSocketClient CLIENT =
            WebSocketClient.create().noProxy().openTimeout(Duration.ZERO);

    /** The failure kinds. */
    enum Failure {
        CONNECTION_REFUSED,
        UNKNOWN_HOST,
        MISSING_UNIX_SOCKET,
        UNTRUSTED_CERTIFICATE,
        TLS_TO_A_PLAIN_SERVER,
        PLAIN_TO_A_TLS_SERVER,
        HTTP_PROXY_REFUSED,
        SOCKS_PROXY_REFUSED,
        HTTP_PROXY_AUTHENTICATION_REQUIRED,
        SOCKS_PROXY_AUTHENTICATION_FAILED
    }

    /** What to try, and what must come of it. */
    private record Attempt(
            WebSocketClient client,
            URI uri,
            Class<? extends WebSocketException> type,
            Pattern message,
            Class<?> cause) {}

    private final List<AutoCloseable> resources = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private Attempt attempt(Failure failure) throws Exception {
        return switch (failure) {
            case CONNECTION_REFUSED -> {
                int port = ProxyDaemon.freePort();
                yield new Attempt(
                        CLIENT,
                        URI.create("ws://127.0.0.1:" + port + "/"),
                        ConnectFailedException.class,
                        exactly("cannot connect to 127.0.0.1:" + port + ": connection refused"),
                        ConnectException.class);
            }
            case UNKNOWN_HOST ->
                // RFC 6761 §6.4: "invalid" names never resolve.
                new Attempt(
                        CLIENT,
                        URI.create("ws://no-such-host.invalid/"),
                        ConnectFailedException.class,
                        exactly("cannot connect to no-such-host.invalid:80: unknown host"),
                        UnknownHostException.class);
            case MISSING_UNIX_SOCKET -> {
                Path socket = dir.resolve("missing.sock");
                yield new Attempt(
                        CLIENT.unixSocket(socket),
                        URI.create("ws://localhost/"),
                        ConnectFailedException.class,
                        // epoll: FileNotFoundException without a message; NIO: "No such file or directory"
                        Pattern.compile(
                                Pattern.quote("cannot connect to " + socket + ": ") + "(file not found|no such .*)"),
                        java.io.IOException.class);
            }
            case UNTRUSTED_CERTIFICATE -> {
                RunningServer server = tlsServer();
                yield new Attempt(
                        CLIENT,
                        URI.create("wss://127.0.0.1:" + server.port() + "/"),
                        ConnectFailedException.class,
                        Pattern.compile(Pattern.quote("cannot connect to 127.0.0.1:" + server.port()
                                        + ": TLS handshake failed: PKIX path building failed")
                                + ".*"),
                        SSLHandshakeException.class);
            }
            case TLS_TO_A_PLAIN_SERVER -> {
                RunningServer server = plainServer();
                yield new Attempt(
                        CLIENT,
                        URI.create("wss://127.0.0.1:" + server.port() + "/"),
                        ConnectFailedException.class,
                        exactly("cannot connect to 127.0.0.1:" + server.port() + ": TLS handshake failed: the server"
                                + " did not answer with TLS (if it expects plain text, use ws://)"),
                        SSLHandshakeException.class);
            }
            case PLAIN_TO_A_TLS_SERVER -> {
                RunningServer server = tlsServer();
                yield new Attempt(
                        CLIENT,
                        URI.create("ws://127.0.0.1:" + server.port() + "/"),
                        InvalidHttpMessageException.class,
                        exactly("connection closed before the response (if the server expects TLS, use wss://)"),
                        null);
            }
            case HTTP_PROXY_REFUSED -> {
                int port = ProxyDaemon.freePort();
                yield new Attempt(
                        CLIENT.proxy("http://127.0.0.1:" + port),
                        URI.create("ws://127.0.0.1:1/"),
                        ProxyException.class,
                        exactly("connecting to 127.0.0.1:1 through proxy http://127.0.0.1:" + port
                                + " failed: connection refused"),
                        ConnectException.class);
            }
            case SOCKS_PROXY_REFUSED -> {
                int port = ProxyDaemon.freePort();
                yield new Attempt(
                        CLIENT.proxy("socks5h://127.0.0.1:" + port),
                        URI.create("ws://127.0.0.1:1/"),
                        ProxyException.class,
                        exactly("connecting to 127.0.0.1:1 through proxy socks5h://127.0.0.1:" + port
                                + " failed: connection refused"),
                        ConnectException.class);
            }
            case HTTP_PROXY_AUTHENTICATION_REQUIRED -> {
                ProxyDaemon proxy = started(ProxyDaemon.tinyproxy(dir, "alice", "s3cret"));
                yield new Attempt(
                        CLIENT.proxy("http://127.0.0.1:" + proxy.port()),
                        URI.create("ws://127.0.0.1:1/"),
                        ProxyException.class,
                        exactly("proxy http://127.0.0.1:" + proxy.port() + " answered HTTP 407 to CONNECT 127.0.0.1:1"),
                        ConnectException.class);
            }
            case SOCKS_PROXY_AUTHENTICATION_FAILED -> {
                ProxyDaemon proxy = started(ProxyDaemon.microsocks(dir, "bob", "pa55"));
                yield new Attempt(
                        CLIENT.proxy("socks5h://bob:wrong@127.0.0.1:" + proxy.port()),
                        URI.create("ws://127.0.0.1:1/"),
                        ProxyException.class,
                        Pattern.compile(Pattern.quote("connecting to 127.0.0.1:1 through proxy socks5h://") + ".*"),
                        ConnectException.class);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void eachApiReportsAWsfluxExceptionWithJdkCausesOnly(Failure failure) throws Exception {
        Attempt attempt = attempt(failure);

        Throwable reactive = assertThrows(
                Throwable.class, () -> attempt.client().connect(attempt.uri()).block(TIMEOUT));
        Throwable blocking =
                assertThrows(Throwable.class, () -> BlockingWebSocket.connect(attempt.uri(), attempt.client())
                        .close());
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        Listening listening = attempt.client()
                .listen(
                        attempt.uri(),
                        new WebSocketListener() {
                            @Override
                            public void onOpen(WebSocketSession session) {
                                reported.completeExceptionally(new AssertionError("opened"));
                            }

                            @Override
                            public void onError(Throwable error) {
                                reported.complete(error);
                            }
                        },
                        false);
        Throwable listener = reported.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(listening.await(TIMEOUT));

        for (Throwable error : List.of(reactive, blocking, listener)) {
            assertInstanceOf(attempt.type(), error, () -> chain(error));
            assertTrue(attempt.message().matcher(error.getMessage()).matches(), () -> chain(error));
            if (attempt.cause() != null) {
                assertNotNull(error.getCause(), () -> chain(error));
                assertInstanceOf(attempt.cause(), error.getCause(), () -> chain(error));
            }
            for (Throwable cause = error; cause != null; cause = cause.getCause()) {
                String type = cause.getClass().getName();
                assertFalse(type.startsWith("io.netty.") || type.startsWith("reactor."), () -> chain(error));
                if (cause.getCause() == cause) {
                    break;
                }
            }
        }
        assertEquals(reactive.getMessage(), blocking.getMessage());
        assertEquals(reactive.getMessage(), listener.getMessage());
    }

    private RunningServer tlsServer() throws Exception {
        TestCertificates.Pair cert = TestCertificates.selfSigned(dir, "server", "IP:127.0.0.1");
        return started(WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .tls(cert.certificate(), cert.privateKey())
                .handle(session -> session.send(session.receive()))
                .bindNow());
    }

    private RunningServer plainServer() {
        return started(WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(session -> session.send(session.receive()))
                .bindNow());
    }

    private RunningServer started(RunningServer server) {
        resources.add(server::shutdownNow);
        return server;
    }

    private ProxyDaemon started(ProxyDaemon proxy) {
        resources.add(proxy);
        return proxy;
    }

    private static Pattern exactly(String message) {
        return Pattern.compile(Pattern.quote(message));
    }

    /** The classes and messages of the chain of causes, for assertion messages. */
    private static String chain(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            text.append("\n  ").append(cause);
            if (cause.getCause() == cause) {
                break;
            }
        }
        return text.toString();
    }
}
