package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.testing.Await;
import dev.wsflux.core.testing.RawWebSocket;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.ServerExtensionFactory;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.http11.ExtensionOffer;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The engine over real sockets against a hand-written peer: strict delivery and abnormal closure. */
class SessionEngineIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private DisposableServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.disposeNow();
        }
    }

    private InetSocketAddress serve(Function<WebSocketSession, Publisher<Void>> handler) {
        return serve(handler, List.of());
    }

    private InetSocketAddress serve(
            Function<WebSocketSession, Publisher<Void>> handler, List<ServerExtensionFactory> extensions) {
        return serve(handler, extensions, SessionOptions.defaults());
    }

    private InetSocketAddress serve(
            Function<WebSocketSession, Publisher<Void>> handler,
            List<ServerExtensionFactory> extensions,
            SessionOptions options) {
        Engines.ServerHandshake handshake = new Engines.ServerHandshake() {
            @Override
            public Mono<Response> respond(Request request, ServerProtocol protocol) {
                return Mono.just(protocol.accept(request));
            }

            @Override
            public Publisher<Void> handle(WebSocketSession session) {
                return handler.apply(session);
            }
        };
        server = TcpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((in, out) -> {
                    Connection[] connection = new Connection[1];
                    in.withConnection(c -> connection[0] = c);
                    ServerProtocol protocol = ServerProtocol.builder()
                            .extensions(extensions)
                            .deferClose(true)
                            .build();
                    return Engines.serveConnection(connection[0], protocol, options, handshake);
                })
                .bindNow();
        return (InetSocketAddress) server.address();
    }

    private static byte[] text(String text) {
        return RawWebSocket.maskedFrame(0x1, text.getBytes(StandardCharsets.UTF_8), true);
    }

    private static String payload(RawWebSocket.RawFrame frame) {
        return new String(frame.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void repliesToMessagesBeforeAViolationGoOutBeforeTheCloseThatFailsTheConnection() throws IOException {
        Sinks.One<ConnectionClosedException> closed = Sinks.one();
        InetSocketAddress address = serve(session -> {
            session.closeDetails().subscribe(closed::tryEmitValue);
            return session.send(session.receive().onErrorResume(e -> Mono.empty()));
        });
        try (RawWebSocket peer = RawWebSocket.open(address, "/")) {
            // Autobahn 3.2-style: two good messages and a frame with a reserved opcode in one segment.
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.write(text("one"));
            burst.write(text("two"));
            burst.write(RawWebSocket.maskedFrame(0x3, new byte[0], true));
            peer.output().write(burst.toByteArray());
            peer.output().flush();
            assertEquals("one", payload(peer.readFrame()));
            assertEquals("two", payload(peer.readFrame()));
            RawWebSocket.RawFrame close = peer.readFrame();
            assertEquals(0x8, close.opcode());
            assertEquals(1002, ByteBuffer.wrap(close.payload()).getShort() & 0xFFFF);
            assertTrue(peer.readsEof());
        }
        ConnectionClosedException details = closed.asMono().block(WAIT);
        assertEquals(1002, details.sent().code());
        assertInstanceOf(WebSocketProtocolException.class, details.getCause());
    }

    @Test
    void messagesBeforeThePeersCloseAreEchoedBeforeTheCloseReply() throws IOException {
        InetSocketAddress address = serve(session -> session.send(session.receive()));
        try (RawWebSocket peer = RawWebSocket.open(address, "/")) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                burst.write(text("m" + i));
            }
            burst.write(RawWebSocket.maskedFrame(0x8, new byte[] {0x03, (byte) 0xE8}, true));
            peer.output().write(burst.toByteArray());
            peer.output().flush();
            for (int i = 0; i < 20; i++) {
                assertEquals("m" + i, payload(peer.readFrame()));
            }
            RawWebSocket.RawFrame close = peer.readFrame();
            assertEquals(0x8, close.opcode());
            assertEquals(1000, ByteBuffer.wrap(close.payload()).getShort() & 0xFFFF);
            assertTrue(peer.readsEof(), "the server closes TCP first");
        }
    }

    @Test
    void aResetConnectionEndsTheSessionWith1006() throws IOException {
        Sinks.One<WebSocketSession> sessions = Sinks.one();
        InetSocketAddress address = serve(session -> {
            sessions.tryEmitValue(session);
            return session.receive().then();
        });
        RawWebSocket peer = RawWebSocket.open(address, "/");
        WebSocketSession session = sessions.asMono().block(WAIT);
        peer.abort();
        assertEquals(new CloseStatus(1006, ""), session.closeStatus().block(WAIT));
        ConnectionClosedException details = session.closeDetails().block(WAIT);
        assertNull(details.received());
        assertTrue(!details.isOk());
        // The reset's cause is the JDK's, never Netty's own exception types (our API rule).
        for (Throwable cause = details.getCause(); cause != null; cause = cause.getCause()) {
            assertTrue(JdkErrors.isJdk(cause), "a Netty type reaches the user: " + cause.getClass());
        }
    }

    /** An Error in one connection's handler aborts that connection; the loop serves the next one. */
    @Test
    void aHandlerThatThrowsAnErrorAbortsItsConnectionOnlyAndTheLoopGoesOn() throws IOException {
        InetSocketAddress address =
                serve(session -> session.send(session.receive().map(message -> {
                    if (message.text().equals("die")) {
                        throw new OutOfMemoryError("simulated by the test");
                    }
                    return message;
                })));
        try (RawWebSocket victim = RawWebSocket.open(address, "/")) {
            victim.sendFrame(0x1, "die".getBytes(StandardCharsets.UTF_8), true);
            assertTrue(victim.readsEof(), "the failing connection is aborted");
        }
        assertEchoes(address);
    }

    /** An Error in an extension aborts that connection; the loop serves the next one. */
    @Test
    void anExtensionThatThrowsAnErrorAbortsItsConnectionOnlyAndTheLoopGoesOn() throws IOException {
        ServerExtensionFactory failing = new ServerExtensionFactory() {
            @Override
            public String name() {
                return "x-failing";
            }

            @Override
            public Accepted accept(ExtensionOffer offer, List<Extension> accepted) {
                return new Accepted(offer, new Extension() {
                    @Override
                    public String name() {
                        return "x-failing";
                    }

                    @Override
                    public int rsvBits() {
                        return 0b010;
                    }

                    @Override
                    public Frame decode(Frame frame, long maxMessageSize) {
                        if (frame.rsv2()) {
                            throw new StackOverflowError("simulated by the test");
                        }
                        return frame;
                    }

                    @Override
                    public Frame encode(Frame frame, boolean compress) {
                        return frame;
                    }

                    @Override
                    public void close() {}
                });
            }
        };
        InetSocketAddress address = serve(session -> session.send(session.receive()), List.of(failing));
        try (RawWebSocket victim = RawWebSocket.connect(address)) {
            String head = victim.request(
                    RawWebSocket.upgradeRequest(address, "/", "Sec-WebSocket-Extensions: x-failing\r\n"));
            assertTrue(head.startsWith("HTTP/1.1 101") && head.contains("x-failing"), head);
            victim.sendFrame(0x20 | 0x1, "boom".getBytes(StandardCharsets.UTF_8), true);
            assertTrue(victim.readsEof(), "the failing connection is aborted");
        }
        assertEchoes(address);
    }

    /**
     * Half-open peers (they never read, never answer a Ping, never close) are released at pingInterval +
     * pingTimeout + a short grace, on virtual time: not after a further closeTimeout, and with no second Ping.
     */
    @Test
    void halfOpenPeersAreReleasedAfterThePingTimeoutAndAShortGrace() throws IOException {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        try {
            SessionOptions options = SessionOptions.builder()
                    .timer(time)
                    .pingInterval(Duration.ofSeconds(20))
                    .pingTimeout(Duration.ofSeconds(20))
                    .build();
            List<WebSocketSession> sessions = new CopyOnWriteArrayList<>();
            InetSocketAddress address = serve(
                    session -> {
                        sessions.add(session);
                        return session.receive().then();
                    },
                    List.of(),
                    options);
            List<RawWebSocket> peers = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    peers.add(RawWebSocket.open(address, "/"));
                }
                Await.until("100 sessions", WAIT, () -> sessions.size() == 100);
                time.advanceTimeBy(Duration.ofSeconds(20)); // the keepalive Ping, unanswered
                // Timer tasks hop onto the loop: the Pings (and their timeouts) exist once it ran them.
                Await.until("every ping sent", WAIT, () -> sessions.stream()
                        .allMatch(session -> onLoop(
                                        ((Session) session).engine(),
                                        () -> ((Session) session).engine().pendingPings())
                                == 1));
                time.advanceTimeBy(Duration.ofSeconds(20)); // its timeout: 1011, then the grace
                Await.until("every session failed with 1011", WAIT, () -> sessions.stream()
                        .noneMatch(WebSocketSession::isOpen));
                time.advanceTimeBy(CloseHandshake.KEEPALIVE_ABORT_GRACE.minusMillis(1));
                for (WebSocketSession session : sessions) {
                    StepVerifier.create(session.closeDetails())
                            .expectSubscription()
                            .expectNoEvent(Duration.ofMillis(5))
                            .thenCancel()
                            .verify(WAIT);
                }
                time.advanceTimeBy(Duration.ofMillis(1));
                for (WebSocketSession session : sessions) {
                    ConnectionClosedException details = session.closeDetails().block(WAIT);
                    assertEquals(new CloseStatus(1011, "keepalive ping timeout"), details.sent());
                }
                // Each peer got exactly one Ping, then the Close: no second Ping at the timeout's instant.
                RawWebSocket.RawFrame ping = peers.get(0).readFrame();
                assertEquals(0x9, ping.opcode());
                assertEquals(0x8, peers.get(0).readFrame().opcode());
            } finally {
                for (RawWebSocket peer : peers) {
                    peer.abort();
                }
            }
        } finally {
            time.dispose();
        }
    }

    private static void assertEchoes(InetSocketAddress address) throws IOException {
        try (RawWebSocket next = RawWebSocket.open(address, "/")) {
            next.sendFrame(0x1, "still here".getBytes(StandardCharsets.UTF_8), true);
            assertEquals("still here", payload(next.readFrame()));
        }
    }

    private static <T> T onLoop(SessionEngine engine, java.util.concurrent.Callable<T> task) {
        try {
            return engine.loop.submit(task).get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
