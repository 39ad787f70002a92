package dev.wsflux.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.internal.Engines;
import dev.wsflux.core.testing.RawWebSocket;
import dev.wsflux.protocol.CloseStatus;
import dev.wsflux.protocol.ConnectionClosedException;
import dev.wsflux.protocol.Request;
import dev.wsflux.protocol.Response;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.WebSocketProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

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
                    ServerProtocol protocol =
                            ServerProtocol.builder().deferClose(true).build();
                    return Engines.serveConnection(connection[0], protocol, SessionOptions.defaults(), handshake);
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
    }
}
