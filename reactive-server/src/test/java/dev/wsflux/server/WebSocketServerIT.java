package dev.wsflux.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.testing.RawWebSocket;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.WebSocketException;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidStatusException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The server over loopback sockets: echo, routes, handler lifecycle, rejections, limits, transports. Broadcast and
 * shutdown are {@link RunningServerIT}'s.
 */
class WebSocketServerIT {
    private static final Duration WAIT = TestClient.WAIT;

    private RunningServer server;

    @AfterEach
    void stop() {
        if (server != null && !server.isDisposed()) {
            server.shutdown(1001, "", Duration.ofSeconds(2)).block(WAIT);
        }
    }

    private RunningServer start(WebSocketServer configured) {
        server = configured.host("127.0.0.1").port(0).bindNow();
        return server;
    }

    private static WebSocketServer echo() {
        return WebSocketServer.create().route("/echo", session -> session.send(session.receive()));
    }

    private InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    @Nested
    class Echo {
        @Test
        void echoesTextAndBinaryMessagesOverTcp() {
            start(echo());
            assertTrue(server.port() > 0);
            WebSocketSession client = TestClient.connect(server, "/echo");
            Message binary = Message.binary(new byte[] {0, 1, 2, (byte) 255});
            StepVerifier.create(client.send(Flux.just(Message.text("hello"), binary))
                            .thenMany(client.receive().take(2)))
                    .expectNext(Message.text("hello"), binary)
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(client.close()).expectComplete().verify(WAIT);
            assertEquals(new CloseStatus(1000, ""), client.closeStatus().block(WAIT));
        }

        @Test
        void routeTemplatesPassTheirVariablesAndACompletedHandlerClosesWith1000() {
            start(WebSocketServer.create()
                    .route(
                            "/rooms/{room}",
                            (session, variables) -> session.send(Message.text("room " + variables.get("room")))));
            WebSocketSession client = TestClient.connect(server, "/rooms/l%C3%B6bby?x=1");
            StepVerifier.create(client.receive())
                    .expectNext(Message.text("room löbby"))
                    .expectComplete()
                    .verify(WAIT);
            assertEquals(1000, client.closeStatus().block(WAIT).code());
        }

        @Test
        void aFailingHandlerClosesWith1011WithoutTheExceptionText() {
            start(WebSocketServer.create()
                    .route("/fail", session -> Mono.error(new IllegalStateException("secret details"))));
            WebSocketSession client = TestClient.connect(server, "/fail");
            StepVerifier.create(client.receive()).expectError().verify(WAIT);
            assertEquals(new CloseStatus(1011, ""), client.closeStatus().block(WAIT));
        }

        @Test
        void theServerTracksItsOpenSessions() {
            start(echo());
            WebSocketSession client = TestClient.connect(server, "/echo");
            StepVerifier.create(client.send(Message.text("x"))
                            .thenMany(client.receive().take(1)))
                    .expectNextCount(1)
                    .verifyComplete();
            assertEquals(1, server.sessions().size());
            client.close().block(WAIT);
            await(() -> server.sessions().isEmpty());
        }

        @Test
        void anUnmatchedPathFallsBackToTheCatchAllHandler() {
            start(WebSocketServer.create().handle(session -> session.send(Message.text("fallback"))));
            WebSocketSession client = TestClient.connect(server, "/anything/at/all");
            StepVerifier.create(client.receive())
                    .expectNext(Message.text("fallback"))
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Nested
    class FrameObserving {
        @Test
        void eachSessionHasItsOwnObserverThatSeesTheCloseTheServerEchoes() {
            java.util.Map<String, List<String>> frames = new java.util.concurrent.ConcurrentHashMap<>();
            start(echo().frameObserver(session -> {
                List<String> own = new java.util.concurrent.CopyOnWriteArrayList<>(); // read by the test thread
                frames.put(session.id(), own);
                return (direction, opcode, fin, rsvBits, payload) -> own.add(
                        (direction == dev.wsflux.protocol.FrameObserver.Direction.SENT ? "> " : "< ") + opcode + " "
                                + (opcode == dev.wsflux.protocol.frames.Opcode.CLOSE
                                        ? String.valueOf(payload.getShort(payload.position()))
                                        : StandardCharsets.UTF_8.decode(payload).toString()));
            }));
            for (String text : List.of("one", "two")) {
                WebSocketSession client = TestClient.connect(server, "/echo");
                StepVerifier.create(client.send(Message.text(text))
                                .thenMany(client.receive().take(1)))
                        .expectNext(Message.text(text))
                        .verifyComplete();
                client.close().block(WAIT);
            }
            await(() -> frames.size() == 2 && frames.values().stream().allMatch(list -> list.size() == 4));
            assertEquals(
                    java.util.Set.of(
                            List.of("< TEXT one", "> TEXT one", "< CLOSE 1000", "> CLOSE 1000"),
                            List.of("< TEXT two", "> TEXT two", "< CLOSE 1000", "> CLOSE 1000")),
                    java.util.Set.copyOf(frames.values()));
        }
    }

    @Nested
    class Keepalive {
        @Test
        void keepalivePingsReachThePeerOverTcpEveryInterval() throws IOException {
            VirtualTimeScheduler time = VirtualTimeScheduler.create();
            try {
                start(echo().options(SessionOptions.builder()
                        .timer(time)
                        .pingTimeout(Duration.ZERO)
                        .build()));
                try (RawWebSocket peer = RawWebSocket.open(address(), "/echo")) {
                    // The session is tracked once it is open, after its keepalive joined the timer.
                    await(() -> server.sessions().size() == 1);
                    for (int n = 0; n < 2; n++) {
                        time.advanceTimeBy(Duration.ofSeconds(20));
                        RawWebSocket.RawFrame ping = peer.readFrame();
                        assertEquals(0x9, ping.opcode());
                        assertEquals(4, ping.payload().length);
                        // Answered: the next interval brings the next ping (none goes out while one waits). An
                        // echo round trip after the Pong shows the server has processed it.
                        peer.sendFrame(0xA, ping.payload(), true);
                        peer.sendFrame(0x1, new byte[] {'x'}, true);
                        assertEquals(0x1, peer.readFrame().opcode());
                    }
                }
                await(() -> server.sessions().isEmpty());
            } finally {
                time.dispose();
            }
        }
    }

    @Nested
    class Rejections {
        private String head(String path, String extraHeaders) throws IOException {
            try (RawWebSocket peer = RawWebSocket.connect(address())) {
                return peer.request(RawWebSocket.upgradeRequest(address(), path, extraHeaders));
            }
        }

        @Test
        void anUnknownPathIs404() throws IOException {
            start(echo());
            assertTrue(head("/nope", "").startsWith("HTTP/1.1 404"));
        }

        /** An upgrade request with any target and {@code Host} value, and extra header lines. */
        private String upgrade(String target, String host, String extraHeaders) {
            return "GET " + target + " HTTP/1.1\r\n"
                    + "Host: " + host + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + extraHeaders
                    + "\r\n";
        }

        @Test
        void requestsThatRfc7230CallsInvalidAre400WithAShortReasonOnTheWire() throws IOException {
            start(echo());
            String authority = "127.0.0.1:" + server.port();
            List<List<String>> cases = List.of(
                    List.of("/echo", "127.\"0.0.1", "", "invalid Host header: \"127.\\x220.0.1\""),
                    List.of("/echo", "127.0. .1", "", "invalid Host header: \"127.0. .1\""),
                    List.of("*", authority, "", "asterisk-form request target is only for OPTIONS: \"*\""),
                    List.of(authority, authority, "", "authority-form request target is only for CONNECT"),
                    List.of("http://[::1", authority, "", "invalid host in request target: \"http://[::1\""),
                    List.of("/%zz", authority, "", "invalid percent-encoding in request target: \"/%zz\""),
                    List.of(
                            "/echo",
                            authority,
                            "Content-Length: 00\r\n",
                            "ambiguous content-length in handshake request: \"00\""));
            for (List<String> c : cases) {
                try (RawWebSocket peer = RawWebSocket.connect(address())) {
                    String head = peer.request(upgrade(c.get(0), c.get(1), c.get(2)));
                    assertTrue(head.startsWith("HTTP/1.1 400 Bad Request\r\n"), c + ": " + head);
                    String body = peer.readBody(head);
                    assertTrue(body.startsWith("Failed to open a WebSocket connection: " + c.get(3)), c + ": " + body);
                    assertTrue(peer.readsEof(), c.toString());
                }
            }
            try (RawWebSocket peer = RawWebSocket.connect(address())) {
                assertTrue(peer.request(upgrade("/echo", authority, "")).startsWith("HTTP/1.1 101"));
            }
        }

        @Test
        void anAbsoluteFormTargetIsRoutedByItsPath() throws IOException {
            // RFC 7230 §5.3.2: "a server MUST accept the absolute-form in requests"
            start(echo());
            String authority = "127.0.0.1:" + server.port();
            try (RawWebSocket peer = RawWebSocket.connect(address())) {
                String head = peer.request(upgrade("http://" + authority + "/echo?x=1", authority, ""));
                assertTrue(head.startsWith("HTTP/1.1 101"), head);
            }
        }

        @Test
        void aForbiddenOriginIs403() throws IOException {
            start(echo().origins("https://good.example"));
            assertTrue(head("/echo", "Origin: https://evil.example\r\n").startsWith("HTTP/1.1 403"));
            assertTrue(head("/echo", "Origin: https://good.example\r\n").startsWith("HTTP/1.1 101"));
        }

        @Test
        void aPlainHttpRequestIs426() throws IOException {
            start(echo());
            try (RawWebSocket peer = RawWebSocket.connect(address())) {
                String head = peer.request("GET /echo HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertTrue(head.startsWith("HTTP/1.1 426"), head);
            }
        }

        @Test
        void processRequestCanAnswerAHealthCheck() throws IOException {
            start(echo().processRequest(request ->
                    request.path().equals("/health") ? Mono.just(request.respond(200, "OK")) : Mono.empty()));
            try (RawWebSocket peer = RawWebSocket.connect(address())) {
                String head = peer.request("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertTrue(head.startsWith("HTTP/1.1 200"), head);
                assertEquals("OK\n", peer.readBody(head));
                assertTrue(peer.readsEof());
            }
            assertTrue(head("/echo", "").startsWith("HTTP/1.1 101"));
        }

        @Test
        void basicAuthAnswers401WithAChallengeAndLetsValidCredentialsIn() throws IOException {
            start(echo().basicAuth("chat", (user, password) -> user.equals("ann") && password.equals("s3cr:t")));
            String missing = head("/echo", "");
            assertTrue(missing.startsWith("HTTP/1.1 401"), missing);
            assertTrue(missing.contains("WWW-Authenticate: Basic realm=\"chat\", charset=\"UTF-8\""), missing);
            String wrong = "Authorization: Basic "
                    + Base64.getEncoder().encodeToString("ann:nope".getBytes(StandardCharsets.UTF_8)) + "\r\n";
            assertTrue(head("/echo", wrong).startsWith("HTTP/1.1 401"));
            String right = "Authorization: Basic "
                    + Base64.getEncoder().encodeToString("ann:s3cr:t".getBytes(StandardCharsets.UTF_8)) + "\r\n";
            assertTrue(head("/echo", right).startsWith("HTTP/1.1 101"));
        }

        @Test
        void processResponseCanAddHeadersToTheUpgrade() throws IOException {
            start(echo().processResponse((request, response) -> new dev.wsflux.protocol.http11.Response(
                    response.status(),
                    response.reason(),
                    response.headers().toBuilder().add("X-Trace", "42").build(),
                    response.body())));
            String head = head("/echo", "");
            assertTrue(head.startsWith("HTTP/1.1 101") && head.contains("X-Trace: 42"), head);
        }

        @Test
        void theServerHeaderCanBeReplacedOrRemoved() throws IOException {
            start(echo().serverHeader("custom/1"));
            assertTrue(head("/echo", "").contains("Server: custom/1"));
            server.shutdownNow();
            start(echo().noServerHeader());
            assertFalse(head("/echo", "").contains("Server:"));
        }

        @Test
        void theClientSeesARejectionAsInvalidStatusException() {
            start(echo());
            InvalidStatusException error =
                    assertThrows(InvalidStatusException.class, () -> TestClient.connect(server, "/missing"));
            assertEquals(404, error.status());
        }

        @Test
        void connectionsOverTheLimitAre503() throws IOException {
            start(echo().maxConnections(1));
            WebSocketSession first = TestClient.connect(server, "/echo");
            assertTrue(head("/echo", "").startsWith("HTTP/1.1 503"));
            first.close().block(WAIT);
        }

        @Test
        void aPeerThatSendsNoRequestIsDroppedAfterTheOpenTimeout() throws IOException {
            start(echo().options(SessionOptions.builder()
                    .openTimeout(Duration.ofMillis(200))
                    .build()));
            try (RawWebSocket peer = RawWebSocket.connect(address())) {
                peer.output().write("GET /echo HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(peer.readsEof());
            }
        }
    }

    /** Where the server listens when nothing is set, and what a failure to listen says. */
    @Nested
    class Binding {
        @Test
        void withoutAPortTheSystemPicksAFreeOne() {
            server = echo().host("127.0.0.1").bindNow();
            assertEquals(0, WebSocketServer.DEFAULT_PORT);
            assertTrue(server.port() > 0 && server.port() != 80, "port " + server.port());
            WebSocketSession client = TestClient.connect(server, "/echo");
            client.close().block(WAIT);
        }

        @Test
        void aTakenPortFailsNamingTheAddressWithTheJdkBindException() throws IOException {
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                WebSocketServer configured = echo().host("127.0.0.1").port(taken.getLocalPort());
                String expected = "cannot bind 127.0.0.1:" + taken.getLocalPort() + ": address already in use";

                WebSocketException blocking = assertThrows(WebSocketException.class, configured::bindNow);
                assertBindFailure(expected, blocking);
                StepVerifier.create(configured.bind())
                        .expectErrorSatisfies(error -> assertBindFailure(expected, error))
                        .verify(WAIT);
            }
        }

        @Test
        void anAddressThatIsNotLocalFailsWithTheJdkBindException() {
            // 203.0.113.0/24 is TEST-NET-3 (RFC 5737): never an address of this machine.
            WebSocketException e = assertThrows(
                    WebSocketException.class,
                    () -> echo().host("203.0.113.9").port(0).bindNow());
            assertBindFailure("cannot bind 203.0.113.9:0: cannot assign requested address", e);
        }

        private void assertBindFailure(String expected, Throwable error) {
            assertInstanceOf(WebSocketException.class, error);
            assertEquals(expected, error.getMessage());
            assertEquals(BindException.class, error.getCause().getClass());
            for (Throwable cause = error; cause != null; cause = cause.getCause()) {
                String type = cause.getClass().getName();
                assertFalse(type.startsWith("io.netty.") || type.startsWith("reactor."), type);
            }
        }
    }

    @Nested
    class Transports {
        @Test
        void echoesOverTls(@TempDir Path directory) throws Exception {
            SelfSigned certificate = SelfSigned.generate(directory);
            for (WebSocketServer tls : List.of(
                    echo().tls(certificate.sslContext()),
                    echo().tls(certificate.certificatePem(), certificate.privateKeyPem()))) {
                start(tls);
                WebSocketSession client = TestClient.connect(server.address(), "/echo", true, List.of());
                StepVerifier.create(client.send(Message.text("secret"))
                                .thenMany(client.receive().take(1)))
                        .expectNext(Message.text("secret"))
                        .expectComplete()
                        .verify(WAIT);
                client.close().block(WAIT);
                server.shutdownNow();
            }
        }

        @Test
        void echoesOverAUnixDomainSocket(@TempDir Path directory) {
            Path socket = directory.resolve("ws.sock");
            server = echo().unixSocket(socket).bindNow();
            assertTrue(Files.exists(socket));
            WebSocketSession client = TestClient.connect(server.address(), "/echo", false, List.of());
            StepVerifier.create(client.send(Message.text("local"))
                            .thenMany(client.receive().take(1)))
                    .expectNext(Message.text("local"))
                    .expectComplete()
                    .verify(WAIT);
            assertThrows(IllegalStateException.class, server::port);
            client.close().block(WAIT);
        }
    }

    @Test
    void theBuilderIsImmutable() {
        WebSocketServer base = WebSocketServer.create();
        WebSocketServer changed = base.port(1234).route("/a", session -> Mono.empty());
        assertTrue(base.config.routes.isEmpty());
        assertEquals(WebSocketServer.DEFAULT_PORT, base.config.port);
        assertEquals(1234, changed.config.port);
        assertThrows(IllegalArgumentException.class, () -> base.port(70000));
        assertThrows(IllegalArgumentException.class, () -> base.maxConnections(0));
        assertThrows(IllegalArgumentException.class, () -> base.route("no-slash", session -> Mono.empty()));
        assertTrue(changed.toString().contains("1 routes"));
        assertEquals(Headers.empty(), Headers.empty());
    }

    /** Waits until {@code condition} holds, for at most 10 s. */
    static void await(java.util.function.BooleanSupplier condition) {
        dev.wsflux.core.testing.Await.until("a condition", WAIT, condition);
    }
}
