package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.testing.PeerTools;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHandshakeException;
import dev.wsflux.protocol.http11.InvalidHttpMessageException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.InvalidUriException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The client against our own server over loopback sockets. */
class WebSocketClientIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final WebSocketClient CLIENT = WebSocketClient.create().noProxy();

    /** The last handshake request the server saw. */
    private final AtomicReference<Request> seen = new AtomicReference<>();

    private RunningServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    private static Mono<Void> echo(WebSocketSession session) {
        return session.send(session.receive());
    }

    /** An echo server on 127.0.0.1 that records each request. */
    private WebSocketServer echoServer() {
        return WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .processRequest(request -> {
                    seen.set(request.request());
                    return Mono.empty();
                })
                .handle(WebSocketClientIT::echo);
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    /** Sends {@code message} and returns the echo, then closes. */
    private static Message echoOnce(WebSocketSession session, Message message) {
        try {
            return session.send(message).then(session.receive().next()).block(TIMEOUT);
        } finally {
            session.close().block(TIMEOUT);
        }
    }

    @Nested
    class Messages {
        @Test
        void echoesTextAndBinaryWithCompression() {
            server = echoServer().bindNow();
            WebSocketSession session = CLIENT.connect(uri("/")).block(TIMEOUT);
            assertEquals(List.of("permessage-deflate"), session.extensions());
            assertEquals(Message.text("héllo".repeat(100)), echoOnce(session, Message.text("héllo".repeat(100))));
            WebSocketSession binary = CLIENT.connect(uri("/")).block(TIMEOUT);
            assertEquals(Message.binary(new byte[] {1, 2, 3}), echoOnce(binary, Message.binary(new byte[] {1, 2, 3})));
        }

        @Test
        void echoesWithoutCompression() {
            server = echoServer().bindNow();
            WebSocketSession session =
                    CLIENT.compression(false).connect(uri("/")).block(TIMEOUT);
            assertEquals(List.of(), session.extensions());
            assertFalse(seen.get().headers().contains("Sec-WebSocket-Extensions"));
            assertEquals(Message.text("plain"), echoOnce(session, Message.text("plain")));
        }

        @Test
        void handleClosesWith1000WhenTheHandlerCompletes() {
            Sinks.One<CloseStatus> closed = Sinks.one();
            server = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .handle(session -> session.receive()
                            .then()
                            .onErrorResume(e -> Mono.empty())
                            .then(session.closeStatus().doOnNext(closed::tryEmitValue))
                            .then())
                    .bindNow();
            CLIENT.handle(uri("/"), session -> session.send(Message.text("bye")))
                    .block(TIMEOUT);
            assertEquals(1000, closed.asMono().block(TIMEOUT).code());
        }

        @Test
        void handleClosesWith1011AndReportsTheErrorWhenTheHandlerFails() {
            Sinks.One<CloseStatus> closed = Sinks.one();
            server = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .handle(session -> session.receive()
                            .then()
                            .onErrorResume(e -> Mono.empty())
                            .then(session.closeStatus().doOnNext(closed::tryEmitValue))
                            .then())
                    .bindNow();
            IllegalStateException failure = new IllegalStateException("handler failed");
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> CLIENT.handle(uri("/"), session -> Mono.error(failure))
                            .block(TIMEOUT));
            assertEquals("handler failed", e.getMessage());
            assertEquals(1011, closed.asMono().block(TIMEOUT).code());
        }
    }

    @Nested
    class FrameObserving {
        /** Records each frame as {@code "> PONG 6869"} (payload hex) with the thread it was seen on. */
        private final List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();

        private final java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private dev.wsflux.protocol.FrameObserver recorder() {
            return (direction, opcode, fin, rsvBits, payload) -> {
                threads.add(Thread.currentThread());
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                frames.add((direction == dev.wsflux.protocol.FrameObserver.Direction.SENT ? "> " : "< ") + opcode
                        + (fin ? "" : " more") + ((rsvBits & 0b100) != 0 ? " rsv1" : "") + " "
                        + java.util.HexFormat.of().formatHex(bytes));
            };
        }

        @Test
        void seesEveryFrameOfTheSessionIncludingThePongAndCloseItWritesOnItsOwn() {
            server = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .handle(session -> session.receive()
                            .next()
                            .flatMap(message -> session.send(message))
                            .then(session.ping(java.nio.ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII))))
                            .then(session.close(1001, "bye")))
                    .bindNow();
            List<WebSocketSession> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
            WebSocketSession session = CLIENT.frameObserver(observed -> {
                        asked.add(observed);
                        return recorder();
                    })
                    .connect(uri("/"))
                    .block(TIMEOUT);
            String text = "x".repeat(200); // compressed: above the 128-byte threshold
            session.send(Message.text(text)).block(TIMEOUT);
            assertEquals(Message.text(text), session.receive().next().block(TIMEOUT));
            assertEquals(new CloseStatus(1001, "bye"), session.closeStatus().block(TIMEOUT));
            String hex = "78".repeat(200);
            assertEquals(
                    List.of(
                            "> TEXT rsv1 " + hex,
                            "< TEXT rsv1 " + hex,
                            "< PING 6869",
                            "> PONG 6869",
                            "< CLOSE 03e9627965",
                            "> CLOSE 03e9"),
                    frames);
            assertEquals(List.of(session), asked, "one observer per session, asked for on its first frame");
            assertEquals(1, threads.size(), "every call on the connection's event loop: " + threads);
            assertFalse(threads.contains(Thread.currentThread()));
        }

        @Test
        void anObserverForNoneOfASessionsFramesObservesNothing() {
            server = echoServer().bindNow();
            AtomicReference<WebSocketSession> asked = new AtomicReference<>();
            WebSocketSession session = CLIENT.frameObserver(observed -> {
                        asked.set(observed);
                        return null;
                    })
                    .connect(uri("/"))
                    .block(TIMEOUT);
            assertEquals(Message.text("plain"), echoOnce(session, Message.text("plain")));
            assertEquals(session, asked.get());
        }
    }

    @Nested
    class HandshakeOptions {
        @Test
        void negotiatesASubprotocol() {
            server = echoServer().subprotocols("chat.v2", "chat.v1").bindNow();
            WebSocketSession session =
                    CLIENT.subprotocols("chat.v1", "chat.v3").connect(uri("/")).block(TIMEOUT);
            assertEquals("chat.v1", session.subprotocol());
            session.close().block(TIMEOUT);
        }

        @Test
        void sendsOriginHeadersUserAgentAndHost() {
            server = echoServer().bindNow();
            CLIENT.origin("https://app.example")
                    .header("Cookie", "a=1")
                    .header("X-Tag", "one")
                    .header("X-Tag", "two")
                    .userAgent("probe/1.0")
                    .hostHeader("virtual.example")
                    .connect(uri("/path?q=1"))
                    .flatMap(WebSocketSession::close)
                    .block(TIMEOUT);
            Headers headers = seen.get().headers();
            assertEquals("/path?q=1", seen.get().path());
            assertEquals("https://app.example", headers.get("Origin"));
            assertEquals("a=1", headers.get("Cookie"));
            assertEquals(List.of("one", "two"), headers.all("X-Tag"));
            assertEquals("probe/1.0", headers.get("User-Agent"));
            assertEquals(List.of("virtual.example"), headers.all("Host"));
        }

        @Test
        void sendsTheDefaultUserAgentOrNone() {
            server = echoServer().bindNow();
            CLIENT.connect(uri("/")).flatMap(WebSocketSession::close).block(TIMEOUT);
            assertEquals(
                    WebSocketClient.DEFAULT_USER_AGENT, seen.get().headers().get("User-Agent"));
            assertNull(seen.get().headers().get("Origin"));
            CLIENT.noUserAgent()
                    .connect(uri("/"))
                    .flatMap(WebSocketSession::close)
                    .block(TIMEOUT);
            assertFalse(seen.get().headers().contains("User-Agent"));
        }

        @Test
        void sendsUserInfoAsBasicCredentials() {
            server = echoServer().bindNow();
            CLIENT.connect(URI.create("ws://alice:secret@127.0.0.1:" + server.port() + "/"))
                    .flatMap(WebSocketSession::close)
                    .block(TIMEOUT);
            assertEquals("Basic YWxpY2U6c2VjcmV0", seen.get().headers().get("Authorization"));
        }
    }

    @Nested
    class Rejections {
        @Test
        void reportsStatusHeadersAndBody() {
            server = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .processRequest(request -> Mono.just(request.respond(403, "go away", Headers.of("X-Why", "ban"))))
                    .handle(WebSocketClientIT::echo)
                    .bindNow();
            InvalidStatusException e = assertThrows(
                    InvalidStatusException.class, () -> CLIENT.connect(uri("/")).block(TIMEOUT));
            assertEquals(403, e.status());
            assertEquals("ban", e.headers().get("X-Why"));
            assertEquals("go away\n", new String(e.body(), StandardCharsets.UTF_8)); // reject() ends it with a newline
            assertFalse(ReconnectOptions.isRetryable(e));
        }

        @Test
        void aServerErrorIsRetryable() {
            server = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .processRequest(request -> Mono.just(request.respond(503, "busy")))
                    .handle(WebSocketClientIT::echo)
                    .bindNow();
            InvalidStatusException e = assertThrows(
                    InvalidStatusException.class, () -> CLIENT.connect(uri("/")).block(TIMEOUT));
            assertEquals(503, e.status());
            assertTrue(ReconnectOptions.isRetryable(e));
        }

        @Test
        void anHttp10ServerIsReportedWithItsStatusLine(@TempDir Path dir) throws Exception {
            Path python = Path.of("/usr/bin/python3");
            PeerTools.requireExecutable(python, "python3");
            Process process = new ProcessBuilder(
                            python.toString(),
                            "-u",
                            "-m",
                            "http.server",
                            "0",
                            "--bind",
                            "127.0.0.1",
                            "--directory",
                            dir.toString())
                    .redirectErrorStream(true)
                    .start();
            try {
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                // "Serving HTTP on 127.0.0.1 port 40975 (http://127.0.0.1:40975/) ..."
                String banner = CompletableFuture.supplyAsync(() -> {
                            try {
                                return out.readLine();
                            } catch (IOException e) {
                                return null;
                            }
                        })
                        .get(30, TimeUnit.SECONDS);
                Matcher port = Pattern.compile(" port (\\d+) ").matcher(String.valueOf(banner));
                assertTrue(port.find(), "python3 -m http.server said: " + banner);

                InvalidStatusException e = assertThrows(InvalidStatusException.class, () -> CLIENT.connect(
                                URI.create("ws://127.0.0.1:" + port.group(1) + "/chat"))
                        .block(TIMEOUT));

                assertEquals(
                        "server rejected WebSocket connection: HTTP/1.0 404 File not found"
                                + " (an HTTP/1.0 server: the WebSocket handshake needs HTTP/1.1)",
                        e.getMessage());
                assertEquals(404, e.status());
                assertTrue(e.headers().get("Server").startsWith("SimpleHTTP/"), e.headers()::toString);
            } finally {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }

        @Test
        void anInvalidUriFailsWithoutConnecting() {
            assertThrows(InvalidUriException.class, () -> CLIENT.connect(URI.create("http://127.0.0.1/"))
                    .block(TIMEOUT));
        }

        @Test
        void aRefusedConnectionNamesTheAddressAndIsRetryable() throws IOException {
            int closed = ProxyDaemon.freePort();
            ConnectFailedException e = assertThrows(
                    ConnectFailedException.class, () -> CLIENT.connect(URI.create("ws://127.0.0.1:" + closed + "/"))
                            .block(TIMEOUT));
            assertEquals("cannot connect to 127.0.0.1:" + closed + ": connection refused", e.getMessage());
            assertEquals("127.0.0.1:" + closed, e.address());
            assertEquals(java.net.ConnectException.class, e.getCause().getClass());
            assertTrue(ReconnectOptions.isRetryable(e));
        }
    }

    @Nested
    class Redirects {
        @Test
        void followsARelativeRedirect() {
            server = echoServer()
                    .processRequest(request -> {
                        seen.set(request.request());
                        return request.path().equals("/old")
                                ? Mono.just(request.respond(301, "", Headers.of("Location", "/new?x=1")))
                                : Mono.empty();
                    })
                    .bindNow();
            WebSocketSession session = CLIENT.connect(uri("/old")).block(TIMEOUT);
            assertEquals("/new?x=1", session.handshakeRequest().path());
            session.close().block(TIMEOUT);
        }

        @Test
        void dropsCredentialsWhenTheOriginChanges() {
            server = echoServer().bindNow();
            int target = server.port();
            RunningServer redirector = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .processRequest(request -> Mono.just(
                            request.respond(307, "", Headers.of("Location", "ws://127.0.0.1:" + target + "/moved"))))
                    .handle(WebSocketClientIT::echo)
                    .bindNow();
            try {
                WebSocketSession session = CLIENT.header("Authorization", "Bearer t")
                        .header("Cookie", "s=1")
                        .header("X-Kept", "yes")
                        .connect(URI.create("ws://127.0.0.1:" + redirector.port() + "/"))
                        .block(TIMEOUT);
                session.close().block(TIMEOUT);
            } finally {
                redirector.shutdownNow();
            }
            assertEquals("/moved", seen.get().path());
            assertFalse(seen.get().headers().contains("Authorization"));
            assertFalse(seen.get().headers().contains("Cookie"));
            assertEquals("yes", seen.get().headers().get("X-Kept"));
        }

        @Test
        void stopsAfterTheRedirectLimit() {
            server = echoServer()
                    .processRequest(request -> Mono.just(request.respond(302, "", Headers.of("Location", "/again"))))
                    .bindNow();
            InvalidHandshakeException e = assertThrows(
                    InvalidHandshakeException.class,
                    () -> CLIENT.maxRedirects(3).connect(uri("/")).block(TIMEOUT));
            assertTrue(e.getMessage().startsWith("too many redirects: stopped after 3"), e.getMessage());
            InvalidStatusException none = assertThrows(
                    InvalidStatusException.class,
                    () -> CLIENT.maxRedirects(0).connect(uri("/")).block(TIMEOUT));
            assertEquals(302, none.status());
        }
    }

    @Nested
    class Transport {
        @Test
        void timesOutWhenTheServerNeverAnswers() throws IOException {
            try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                Thread acceptor = new Thread(() -> {
                    try (Socket ignored = silent.accept()) {
                        ignored.getInputStream().readAllBytes(); // until the client gives up
                    } catch (IOException closed) {
                        // the client closed the connection: expected
                    }
                });
                acceptor.start();
                OpenTimeoutException e =
                        assertThrows(OpenTimeoutException.class, () -> CLIENT.openTimeout(Duration.ofMillis(300))
                                .connect(URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/"))
                                .block(TIMEOUT));
                assertEquals(Duration.ofMillis(300), e.timeout());
                assertTrue(ReconnectOptions.isRetryable(e));
                acceptor.join(TIMEOUT.toMillis());
                assertFalse(acceptor.isAlive(), "the client closed the abandoned connection");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        @Test
        void connectsOverAUnixSocket(@TempDir Path dir) {
            Path socket = dir.resolve("ws.sock");
            server = WebSocketServer.create()
                    .unixSocket(socket)
                    .handle(WebSocketClientIT::echo)
                    .bindNow();
            WebSocketSession session = CLIENT.unixSocket(socket)
                    .connect(URI.create("ws://app.internal/socket"))
                    .block(TIMEOUT);
            assertEquals("app.internal", session.handshakeRequest().headers().get("Host"));
            assertEquals(Message.text("over uds"), echoOnce(session, Message.text("over uds")));
        }

        @Test
        void goesThroughAnHttpProxyFromTheEnvironment(@TempDir Path dir) throws Exception {
            server = echoServer().bindNow();
            try (ProxyDaemon proxy = ProxyDaemon.tinyproxy(dir, "alice", "s3cret")) {
                ProxyDetector env = new ProxyDetector(
                        Map.of("http_proxy", "http://alice:s3cret@127.0.0.1:" + proxy.port()), new Properties(), null);
                WebSocketSession session =
                        CLIENT.proxyDetector(env).connect(uri("/")).block(TIMEOUT);
                assertEquals(Message.text("proxied"), echoOnce(session, Message.text("proxied")));
                assertTrue(proxy.log().contains("CONNECT"), proxy::log);
            }
        }

        @Test
        void goesThroughASocks5Proxy(@TempDir Path dir) throws Exception {
            server = echoServer().bindNow();
            try (ProxyDaemon proxy = ProxyDaemon.microsocks(dir, "bob", "pa55")) {
                WebSocketSession session = CLIENT.proxy("socks5h://bob:pa55@127.0.0.1:" + proxy.port())
                        .connect(uri("/"))
                        .block(TIMEOUT);
                assertEquals(Message.text("socks"), echoOnce(session, Message.text("socks")));
            }
        }

        @Test
        void bypassesTheProxyForNoProxyHosts() throws IOException {
            server = echoServer().bindNow();
            int deadProxy = ProxyDaemon.freePort();
            Map<String, String> environment =
                    Map.of("http_proxy", "http://127.0.0.1:" + deadProxy, "NO_PROXY", "localhost,127.0.0.0/8");
            ProxyDetector env = new ProxyDetector(environment, new Properties(), null);
            WebSocketSession session =
                    CLIENT.proxyDetector(env).connect(uri("/")).block(TIMEOUT);
            assertEquals(Message.text("direct"), echoOnce(session, Message.text("direct")));
            ProxyDetector without =
                    new ProxyDetector(Map.of("http_proxy", "http://127.0.0.1:" + deadProxy), new Properties(), null);
            assertThrows(
                    dev.wsflux.client.ProxyException.class,
                    () -> CLIENT.proxyDetector(without).connect(uri("/")).block(TIMEOUT));
        }
    }

    @Nested
    class Tls {
        @Test
        void verifiesTheServerCertificateAgainstAPemCa(@TempDir Path dir) throws Exception {
            TestCertificates.Pair cert = TestCertificates.selfSigned(dir, "good", "IP:127.0.0.1,DNS:localhost");
            server = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .tls(cert.certificate(), cert.privateKey())
                    .handle(WebSocketClientIT::echo)
                    .bindNow();
            URI wss = URI.create("wss://127.0.0.1:" + server.port() + "/");
            WebSocketSession session = CLIENT.tls(TlsOptions.defaults().trustPem(cert.certificate()))
                    .connect(wss)
                    .block(TIMEOUT);
            assertEquals(Message.text("secret"), echoOnce(session, Message.text("secret")));

            RuntimeException untrusted = assertThrows(
                    RuntimeException.class, () -> CLIENT.connect(wss).block(TIMEOUT));
            assertInstanceOf(SSLHandshakeException.class, rootOrSsl(untrusted), untrusted::toString);
            assertFalse(ReconnectOptions.isRetryable(rootOrSsl(untrusted)));

            WebSocketSession insecure =
                    CLIENT.tls(TlsOptions.insecure()).connect(wss).block(TIMEOUT);
            assertEquals(Message.text("anyway"), echoOnce(insecure, Message.text("anyway")));
        }

        @Test
        void checksTheHostName(@TempDir Path dir) throws Exception {
            TestCertificates.Pair cert = TestCertificates.selfSigned(dir, "other", "DNS:other.example");
            server = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .tls(cert.certificate(), cert.privateKey())
                    .handle(WebSocketClientIT::echo)
                    .bindNow();
            URI wss = URI.create("wss://127.0.0.1:" + server.port() + "/");
            RuntimeException mismatch = assertThrows(RuntimeException.class, () -> CLIENT.tls(
                            TlsOptions.defaults().trustPem(cert.certificate()))
                    .connect(wss)
                    .block(TIMEOUT));
            assertInstanceOf(SSLHandshakeException.class, rootOrSsl(mismatch), mismatch::toString);
        }

        @Test
        void refusesARedirectFromWssToWs(@TempDir Path dir) throws Exception {
            TestCertificates.Pair cert = TestCertificates.selfSigned(dir, "good", "IP:127.0.0.1");
            server = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .tls(cert.certificate(), cert.privateKey())
                    .processRequest(
                            request -> Mono.just(request.respond(302, "", Headers.of("Location", "ws://127.0.0.1:1/"))))
                    .handle(WebSocketClientIT::echo)
                    .bindNow();
            URI wss = URI.create("wss://127.0.0.1:" + server.port() + "/");
            InvalidHandshakeException e = assertThrows(InvalidHandshakeException.class, () -> CLIENT.tls(
                            TlsOptions.defaults().trustPem(cert.certificate()))
                    .connect(wss)
                    .block(TIMEOUT));
            assertTrue(e.getMessage().startsWith("refused redirect from secure"), e.getMessage());
        }

        @Test
        void plainWsToOurTlsServerHintsThatItExpectsTls(@TempDir Path dir) throws Exception {
            // Netty's SslHandler closes the connection without a byte when a ClientHello is plain text.
            TestCertificates.Pair cert = TestCertificates.selfSigned(dir, "good", "IP:127.0.0.1");
            server = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .tls(cert.certificate(), cert.privateKey())
                    .handle(WebSocketClientIT::echo)
                    .bindNow();
            InvalidHttpMessageException e =
                    assertThrows(InvalidHttpMessageException.class, () -> CLIENT.connect(uri("/"))
                            .block(TIMEOUT));
            assertEquals(
                    "connection closed before the response (if the server expects TLS, use wss://)", e.getMessage());
        }

        @Test
        void plainWsToAJdkTlsServerSaysItAnsweredWithATlsAlert(@TempDir Path dir) throws Exception {
            // The JDK's TLS server answers plain text with a fatal alert record.
            TestCertificates.Pair cert = TestCertificates.selfSigned(dir, "good", "IP:127.0.0.1");
            SSLContext context = sslContext(cert);
            try (SSLServerSocket tls = (SSLServerSocket)
                    context.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                Thread acceptor = new Thread(() -> {
                    try (Socket connection = tls.accept()) {
                        connection.getInputStream().read(); // fails the TLS handshake: the alert goes out
                    } catch (IOException expected) {
                        // "Unsupported or unrecognized SSL message"
                    }
                });
                acceptor.start();
                InvalidHttpMessageException e = assertThrows(InvalidHttpMessageException.class, () -> CLIENT.connect(
                                URI.create("ws://127.0.0.1:" + tls.getLocalPort() + "/"))
                        .block(TIMEOUT));
                assertEquals(
                        "the server answered with a TLS alert record, not HTTP: it expects TLS, use wss://",
                        e.getMessage());
                acceptor.join(TIMEOUT.toMillis());
            }
        }

        /** A JDK server context with the PEM certificate and its PKCS#8 key. */
        private SSLContext sslContext(TestCertificates.Pair cert) throws Exception {
            X509Certificate certificate;
            try (InputStream in = Files.newInputStream(cert.certificate())) {
                certificate = (X509Certificate)
                        CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            String pem = Files.readString(cert.privateKey(), StandardCharsets.US_ASCII);
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, new char[0], new Certificate[] {certificate});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        }

        private Throwable rootOrSsl(Throwable error) {
            Throwable current = reactor.core.Exceptions.unwrap(error);
            while (!(current instanceof SSLHandshakeException) && current.getCause() != null) {
                current = current.getCause();
            }
            return current;
        }
    }

    @Nested
    class Reconnecting {
        @Test
        void opensANewSessionAfterTheServerDropsTheConnection() {
            server = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .handle(session -> session.close(1012, "restarting"))
                    .bindNow();
            List<WebSocketSession> sessions =
                    CLIENT.sessions(uri("/")).take(3).collectList().block(TIMEOUT);
            assertEquals(3, sessions.size());
            for (WebSocketSession session : sessions) {
                assertEquals(1012, session.closeStatus().block(TIMEOUT).code());
            }
        }

        @Test
        void stopsOnAForbiddenAnswer() {
            server = WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .processRequest(request -> Mono.just(request.respond(403, "no")))
                    .handle(WebSocketClientIT::echo)
                    .bindNow();
            InvalidStatusException e =
                    assertThrows(InvalidStatusException.class, () -> CLIENT.options(SessionOptions.defaults())
                            .sessions(uri("/"))
                            .blockLast(TIMEOUT));
            assertEquals(403, e.status());
        }
    }
}
