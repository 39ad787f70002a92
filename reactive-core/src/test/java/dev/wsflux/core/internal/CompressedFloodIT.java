package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.testing.Await;
import dev.wsflux.core.testing.RawWebSocket;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateClientFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateServerFactory;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import dev.wsflux.protocol.http11.WebSocketKey;
import dev.wsflux.protocol.http11.WebSocketUri;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * The attack that made the inbound bound "by construction": tiny compressed frames that each inflate to
 * 64 KiB, sent to a session that requests nothing. One 64 KiB socket read holds about 700 of them; if they
 * were all decoded, one connection would hold 45 MiB instead of the documented 1 MiB. Both roles.
 */
class CompressedFloodIT {
    private static final int INFLATED = 64 * 1024; // 64 KiB per message once inflated
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final SessionOptions OPTIONS = SessionOptions.defaults();
    /** The queue's bound: maxQueueBytesHigh (1 MiB), that is 16 messages of 64 KiB, also maxQueueHigh. */
    private static final long QUEUE_BOUND = OPTIONS.maxQueueBytesHigh();
    /** Undecoded input: at most one read (Netty's adaptive receive buffer reads at most 64 KiB). */
    private static final long UNPARSED_BOUND = 64 * 1024;

    private DisposableServer server;
    private ServerSocket rawServer;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.disposeNow();
        }
        if (rawServer != null) {
            rawServer.close();
        }
    }

    /** 64 KiB of zeros, deflated raw and flushed, the trailing 00 00 ff ff removed (RFC 7692 §7.2.1). */
    private static byte[] compressedMessage() {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(new byte[INFLATED]);
        byte[] out = new byte[1024];
        int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        deflater.end();
        byte[] payload = new byte[n - 4];
        System.arraycopy(out, 0, payload, 0, payload.length);
        return payload;
    }

    @Test
    void aServerSessionThatRequestsNothingHoldsAtMostTheBound() throws Exception {
        Sinks.One<WebSocketSession> sessions = Sinks.one();
        InetSocketAddress address = serve(session -> {
            sessions.tryEmitValue(session);
            return session.closeDetails().then();
        });
        RawWebSocket peer = RawWebSocket.connect(address);
        String head = peer.request(
                RawWebSocket.upgradeRequest(address, "/", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
        assertTrue(head.startsWith("HTTP/1.1 101") && head.contains("permessage-deflate"), head);
        // A burst of compressed frames (RSV1 | binary), written by a thread that blocks once TCP stops it.
        byte[] frame = RawWebSocket.maskedFrame(0x40 | 0x2, compressedMessage(), true);
        AtomicLong sent = new AtomicLong();
        Thread flooder = flood(peer.output(), frame, 20_000, sent);
        SessionEngine engine = ((Session) sessions.asMono().block(WAIT)).engine();

        assertHeldWithinTheBound(engine, sent, 20_000);
        flooder.interrupt();
        peer.abort();
    }

    @Test
    void aClientSessionThatRequestsNothingHoldsAtMostTheBound() throws Exception {
        rawServer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        AtomicLong sent = new AtomicLong();
        Thread fakeServer = new Thread(() -> {
            try (Socket socket = rawServer.accept()) {
                String request = readHead(socket.getInputStream());
                Matcher key = Pattern.compile("(?i)sec-websocket-key: *(\\S+)").matcher(request);
                assertTrue(key.find(), request);
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: " + WebSocketKey.accept(key.group(1)) + "\r\n"
                                + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                byte[] frame = serverFrame(compressedMessage());
                for (int i = 0; i < 20_000 && !Thread.currentThread().isInterrupted(); i++) {
                    out.write(frame);
                    sent.incrementAndGet();
                }
            } catch (IOException e) {
                // the test ended the connection
            }
        });
        fakeServer.setDaemon(true);
        fakeServer.start();

        Connection connection = TcpClient.newConnection()
                .remoteAddress(() -> new InetSocketAddress(InetAddress.getLoopbackAddress(), rawServer.getLocalPort()))
                .connectNow(WAIT);
        ClientProtocol protocol = ClientProtocol.builder(WebSocketUri.parse("ws://127.0.0.1/"))
                .extensions(List.of(PerMessageDeflateClientFactory.create()))
                .deferClose(true)
                .build();
        WebSocketSession session = Engines.connectClient(connection, protocol, protocol.connect(), OPTIONS)
                .block(WAIT);
        SessionEngine engine = ((Session) session).engine();

        assertHeldWithinTheBound(engine, sent, 20_000);
        fakeServer.interrupt();
        connection.dispose();
    }

    private void assertHeldWithinTheBound(SessionEngine engine, AtomicLong sent, int attempted) {
        // Reading stops once the queue is full and the rest of the read waits undecoded.
        Await.until(
                "reading paused with a full queue",
                WAIT,
                () -> onLoop(
                        engine, () -> !engine.isReading() && engine.inbound().isFull()));
        long queued = onLoop(engine, () -> engine.inbound().queuedBytes());
        int messages = onLoop(engine, () -> engine.inbound().size());
        long unparsed = onLoop(engine, engine.protocol::unparsedBytes);
        long charged = onLoop(engine, engine::chargedBytes);
        assertEquals(OPTIONS.maxQueueHigh(), messages, "exactly the high mark of messages is decoded");
        assertTrue(queued <= QUEUE_BOUND, "queued " + queued + " bytes; bound " + QUEUE_BOUND);
        assertTrue(unparsed <= UNPARSED_BOUND, "undecoded " + unparsed + " bytes; bound " + UNPARSED_BOUND);
        assertEquals(queued + unparsed + onLoop(engine, engine::assemblingBytes), charged, "the budget sees it");
        assertTrue(sent.get() < attempted, "the peer is stopped by TCP backpressure after " + sent.get());
        assertFalse(onLoop(engine, engine::isTerminated));
    }

    private static Thread flood(OutputStream out, byte[] frame, int count, AtomicLong sent) {
        Thread thread = new Thread(() -> {
            try {
                for (int i = 0; i < count && !Thread.currentThread().isInterrupted(); i++) {
                    out.write(frame);
                    sent.incrementAndGet();
                }
            } catch (IOException e) {
                // the test aborted the connection
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** An unmasked frame with RSV1 and the binary opcode, as a server sends a compressed message. */
    private static byte[] serverFrame(byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 4);
        frame.write(0x80 | 0x40 | 0x2);
        frame.write(payload.length);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the request head");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private InetSocketAddress serve(java.util.function.Function<WebSocketSession, Publisher<Void>> handler) {
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
                            .extensions(List.of(PerMessageDeflateServerFactory.create()))
                            .deferClose(true)
                            .build();
                    return Engines.serveConnection(connection[0], protocol, OPTIONS, handshake);
                })
                .bindNow();
        return (InetSocketAddress) server.address();
    }

    private static <T> T onLoop(SessionEngine engine, Callable<T> task) {
        try {
            return engine.loop.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
