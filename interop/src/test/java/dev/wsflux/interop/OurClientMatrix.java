package dev.wsflux.interop;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.function.Executable;
import reactor.core.publisher.Mono;

/**
 * The assertions of one "our client → peer server" pair. The peer server script prints {@code listening=PORT},
 * echoes every message, answers {@value Scenario#PING_REQUEST} by pinging us first, sends a fragmented message on
 * {@code fragments} (if it can), closes with N on {@code close N}, and prints {@code open_CONN=subprotocol|extensions}
 * and {@code closed_CONN=code:reason} (the Close frame it received) for each connection. Our client goes through a
 * {@link WireCounter} and connects five times: {@code main} (every message, a Ping, then Close 1000 "done"),
 * {@code c4001} (Close 4001), {@code s1000} and {@code s4002} (the peer closes), and {@code maxsize}: {@value
 * Scenario#MAX_SIZE} random bytes, our default {@code maxSize}, which applies after decompression, echoed although
 * larger on the wire once compressed, then one byte more, which ends the connection with 1009. Each feature is one
 * named assertion.
 */
final class OurClientMatrix {
    /**
     * What the peer server can do.
     *
     * @param fragments whether it sends a fragmented message on {@code fragments}
     * @param compression whether it negotiates and uses permessage-deflate
     * @param echoesBeyondMaxSize whether it echoes a message of {@code maxSize + 1} bytes, which our client must then
     *     refuse (a peer server); {@code false} when our own server is behind (a proxy) and refuses it first
     */
    record Capabilities(boolean fragments, boolean compression, boolean echoesBeyondMaxSize) {}

    private static final Duration WAIT = Duration.ofSeconds(20);

    private OurClientMatrix() {}

    /** What the server side saw, as the peer server scripts print it. */
    interface ServerSide {
        /** {@code subprotocol|extensions} of the connection {@code conn}, once open. */
        String opened(String conn);

        /** {@code code:reason} of the Close frame the server received on {@code conn}. */
        String closed(String conn);
    }

    /** Starts the peer server, puts a wire counter in front of it, runs our client and asserts the matrix. */
    static void run(String peer, List<String> command, Map<String, String> environment, Capabilities can) {
        try (PeerProcess server =
                PeerProcess.start(peer, command, Peers.script("common.py").getParent(), environment)) {
            int port = Integer.parseInt(server.awaitLine("listening=", WAIT));
            run(
                    peer,
                    port,
                    new ServerSide() {
                        @Override
                        public String opened(String conn) {
                            return server.awaitLine("open_" + conn + "=", WAIT);
                        }

                        @Override
                        public String closed(String conn) {
                            return server.awaitLine("closed_" + conn + "=", WAIT);
                        }
                    },
                    can);
        }
    }

    /** Runs our client against the server on {@code port} through a wire counter and asserts the matrix. */
    static void run(String peer, int port, ServerSide server, Capabilities can) {
        try (WireCounter wire = WireCounter.to(port)) {
            String base = "ws://127.0.0.1:" + wire.port();
            WebSocketClient client = WebSocketClient.create().noProxy().subprotocols("x-unknown", Scenario.SUBPROTOCOL);
            List<Executable> checks = new ArrayList<>();

            Connection main = Connection.open(client, base + "/echo?conn=main");
            WebSocketSession session = main.session;
            checks.add(() -> assertEquals(Scenario.SUBPROTOCOL, session.subprotocol(), peer + ": subprotocol (ours)"));
            String opened = server.opened("main");
            checks.add(
                    () -> assertEquals(Scenario.SUBPROTOCOL, opened.split("\\|", 2)[0], peer + ": subprotocol (peer)"));
            Message text = main.echo(Message.text(Scenario.TEXT));
            checks.add(() -> assertEquals(Message.text(Scenario.TEXT), text, peer + ": text echo"));
            Message binary = main.echo(Message.binary(Scenario.BINARY));
            checks.add(() -> assertEquals(Message.binary(Scenario.BINARY), binary, peer + ": binary echo"));
            Message big = main.echo(Message.binary(Scenario.big()));
            checks.add(() -> assertTrue(big.isBinary(), peer + ": 1 MiB echo type"));
            checks.add(() ->
                    assertEquals(Scenario.digest(Scenario.big()), Scenario.digest(big.bytes()), peer + ": 1 MiB echo"));
            if (can.fragments()) {
                Message fragmented = main.echo(Message.text("fragments"));
                checks.add(() -> assertEquals(
                        Message.text(Scenario.FRAGMENTED), fragmented, peer + ": fragmented message received whole"));
            }
            Duration rtt = session.ping(ByteBuffer.wrap(Scenario.PING_PAYLOAD.getBytes(StandardCharsets.US_ASCII)))
                    .block(WAIT);
            checks.add(() -> assertNotNull(rtt, peer + ": pong for our ping"));
            Message pingAnswer = main.echo(Message.text(Scenario.PING_REQUEST));
            checks.add(() ->
                    assertEquals(Message.text(Scenario.PING_ANSWER), pingAnswer, peer + ": peer's ping answered"));
            if (can.compression()) {
                checks.add(() -> assertEquals(
                        List.of("permessage-deflate"), session.extensions(), peer + ": permessage-deflate (ours)"));
                checks.add(() -> assertTrue(
                        opened.split("\\|", 2)[1].contains("permessage-deflate"),
                        peer + ": permessage-deflate (peer): " + opened));
                checks.add(() -> assertTrue(
                        wire.bytesToTarget("main") < Scenario.COMPRESSED_LIMIT,
                        peer + ": client → server compressed: " + wire.bytesToTarget("main") + " bytes on the wire"));
                checks.add(() -> assertTrue(
                        wire.bytesFromTarget("main") < Scenario.COMPRESSED_LIMIT,
                        peer + ": server → client compressed: " + wire.bytesFromTarget("main") + " bytes on the wire"));
            } else {
                checks.add(
                        () -> assertEquals(List.of(), session.extensions(), peer + ": offer declined, no extension"));
                checks.add(() -> assertTrue(
                        wire.bytesFromTarget("main") > Scenario.BIG_SIZE,
                        peer + ": server → client uncompressed: " + wire.bytesFromTarget("main") + " bytes"));
            }
            System.out.println(peer + ": wire bytes client → server " + wire.bytesToTarget() + ", server → client "
                    + wire.bytesFromTarget() + "; peer opened " + opened);
            CloseStatus mainClose = main.close(1000, "done");
            checks.add(() -> assertEquals(1000, mainClose.code(), peer + ": close 1000 echoed: " + mainClose));
            String mainClosed = server.closed("main");
            checks.add(() -> assertEquals("1000:done", mainClosed, peer + ": close 1000 →"));

            Connection c4001 = Connection.open(client, base + "/echo?conn=c4001");
            Message bye = c4001.echo(Message.text("bye?"));
            checks.add(() -> assertEquals(Message.text("bye?"), bye, peer + ": second connection echo"));
            CloseStatus close4001 = c4001.close(4001, Scenario.CLIENT_REASON);
            checks.add(() -> assertEquals(4001, close4001.code(), peer + ": close 4001 echoed: " + close4001));
            String closed4001 = server.closed("c4001");
            checks.add(() -> assertEquals("4001:" + Scenario.CLIENT_REASON, closed4001, peer + ": close 4001 →"));

            for (int code : new int[] {1000, 4002}) {
                Connection c = Connection.open(client, base + "/echo?conn=s" + code);
                c.session.send(Message.text("close " + code)).block(WAIT);
                CloseStatus status = c.session.closeStatus().block(WAIT);
                checks.add(() -> assertEquals(
                        new CloseStatus(code, Scenario.SERVER_REASON), status, peer + ": close " + code + " ← server"));
            }
            maxSize(peer, client, base, server, wire, can, checks);
            assertAll(peer, checks.stream());
        }
    }

    /**
     * The {@code conn=maxsize} connection: {@code maxSize} counts the bytes after decompression, so the echo of
     * exactly {@value Scenario#MAX_SIZE} random bytes is accepted although, compressed, its frame is larger on the
     * wire; a message of one byte more ends the connection with 1009.
     */
    private static void maxSize(
            String peer,
            WebSocketClient client,
            String base,
            ServerSide server,
            WireCounter wire,
            Capabilities can,
            List<Executable> checks) {
        Connection maxSize = Connection.open(client, base + "/echo?conn=maxsize");
        byte[] exact = Scenario.incompressible(Scenario.MAX_SIZE);
        Message echoed = maxSize.echo(Message.binary(exact));
        checks.add(() -> assertEquals(
                Scenario.digest(exact), Scenario.digest(echoed.bytes()), peer + ": maxSize random bytes echoed"));
        maxSize.session
                .send(Message.binary(Scenario.incompressible(Scenario.MAX_SIZE + 1)))
                .onErrorResume(e -> Mono.empty())
                .block(WAIT);
        ConnectionClosedException ended = maxSize.session.closeDetails().block(WAIT);
        assertNotNull(ended, peer + ": the maxsize connection did not close within " + WAIT);
        if (can.echoesBeyondMaxSize()) {
            checks.add(() -> assertEquals(
                    CloseCodes.MESSAGE_TOO_BIG,
                    ended.sent() == null ? null : ended.sent().code(),
                    peer + ": our client refused the echo of maxSize + 1 bytes: " + ended));
            String closed = server.closed("maxsize");
            checks.add(() -> assertTrue(closed.startsWith("1009:"), peer + ": 1009 received by the peer: " + closed));
        } else {
            checks.add(() -> assertEquals(
                    CloseCodes.MESSAGE_TOO_BIG,
                    ended.received() == null ? null : ended.received().code(),
                    peer + ": our server refused maxSize + 1 bytes: " + ended));
        }
        if (can.compression()) {
            // The evidence that maxSize is after decompression: a compressed message larger than maxSize on the wire
            // was accepted.
            List<Long> received = WireCounter.compressedMessageLengths(wire.framesFromTarget("maxsize"));
            checks.add(() -> assertTrue(
                    received.stream().anyMatch(length -> length > Scenario.MAX_SIZE),
                    peer + ": maxSize bytes came compressed, larger than maxSize on the wire: " + received));
            List<Long> sent = WireCounter.compressedMessageLengths(wire.framesToTarget("maxsize"));
            System.out.println(peer + ": maxsize, compressed messages on the wire: server → client " + received
                    + ", client → server " + sent);
            checks.add(() -> assertTrue(
                    sent.stream().anyMatch(length -> length > Scenario.MAX_SIZE),
                    peer + ": maxSize bytes went compressed, larger than maxSize on the wire: " + sent));
        }
    }

    /** One client session with its received messages queued. */
    private static final class Connection {
        final WebSocketSession session;
        final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

        private Connection(WebSocketSession session) {
            this.session = session;
            session.receive().subscribe(received::add, error -> {});
        }

        static Connection open(WebSocketClient client, String uri) {
            WebSocketSession session = client.connect(URI.create(uri)).block(WAIT);
            assertNotNull(session, "no session for " + uri);
            return new Connection(session);
        }

        Message echo(Message message) {
            session.send(message).block(WAIT);
            try {
                Message reply = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertNotNull(reply, "no reply within " + WAIT + " to " + message);
                return reply;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        CloseStatus close(int code, String reason) {
            session.close(code, reason).block(WAIT);
            return session.closeStatus().block(WAIT);
        }
    }
}
