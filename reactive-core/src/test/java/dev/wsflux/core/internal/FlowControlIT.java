package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.testing.Await;
import dev.wsflux.core.testing.RawWebSocket;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;
import reactor.test.StepVerifier;

/**
 * Backpressure reaches the socket, both ways, over real loopback TCP: a session that requests nothing
 * stops the peer with memory bounded here; a peer that reads nothing stops {@code send()} pulling.
 */
class FlowControlIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MESSAGES = 1_000;
    private static final int SIZE = 64 * 1024; // 64 KiB
    /** High water mark 16 (the default): reads pause with 17 messages queued. */
    private static final SessionOptions OPTIONS = SessionOptions.defaults();
    /**
     * What may be read into this process while the consumer requests nothing: the full queue (16 messages of
     * 64 KiB with their frame headers, exactly {@code maxQueueHigh} and {@code maxQueueBytesHigh}), the rest
     * of the read that completed the 16th message, kept undecoded (at most one read: 64 KiB with Netty's
     * default receive buffer), and the partial frame the parser holds (at most 64 KiB). The socket buffers
     * belong to the kernel.
     */
    private static final long BOUND = OPTIONS.maxQueueHigh() * (SIZE + 14L) + 64 * 1024 + 64 * 1024;

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
                    ServerProtocol protocol = ServerProtocol.builder()
                            .maxSize(OPTIONS.maxSize())
                            .deferClose(true)
                            .build();
                    return Engines.serveConnection(connection[0], protocol, OPTIONS, handshake);
                })
                .bindNow();
        return (InetSocketAddress) server.address();
    }

    @Test
    void aConsumerThatRequestsNothingStopsThePeerWithBoundedMemoryThenGetsEveryMessageInOrder() throws Exception {
        Sinks.One<WebSocketSession> sessions = Sinks.one();
        InetSocketAddress address = serve(session -> {
            sessions.tryEmitValue(session);
            return session.closeDetails().then();
        });
        RawWebSocket peer = RawWebSocket.open(address, "/");
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    byte[] payload = new byte[SIZE];
                    ByteBuffer.wrap(payload).putInt(i);
                    peer.sendFrame(0x2, payload, true);
                    sent.incrementAndGet();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        SessionEngine engine = ((Session) sessions.asMono().block(Duration.ofSeconds(5))).engine();

        // Wait until reading stopped with the queue full: from then on nothing more is read here.
        Await.until(
                "reads paused with the queue full",
                WAIT,
                () -> onLoop(
                        engine, () -> !engine.isReading() && engine.inbound().isFull()));
        long read = onLoop(engine, engine::bytesRead);
        long queued = onLoop(engine, () -> engine.inbound().queuedBytes());
        int queuedMessages = onLoop(engine, () -> engine.inbound().size());
        assertTrue(sent.get() < MESSAGES, "the peer should be blocked by TCP backpressure, sent " + sent.get());
        assertTrue(read <= BOUND, "read " + read + " bytes while nothing was requested; bound " + BOUND);
        assertEquals(OPTIONS.maxQueueHigh(), queuedMessages, "the queue holds exactly its high mark");
        assertEquals((long) OPTIONS.maxQueueHigh() * SIZE, queued);
        assertFalse(onLoop(engine, engine::isReading), "reads should be paused");

        // Demand arrives: every message, in order, none lost.
        StepVerifier.create(engine.session.receive().take(MESSAGES).index())
                .thenConsumeWhile(indexed -> indexed.getT2().payload().getInt(0) == indexed.getT1())
                .expectComplete()
                .verify(Duration.ofSeconds(60));
        sending.get(10, TimeUnit.SECONDS);
        peer.close();
    }

    @Test
    void aPeerThatReadsNothingStopsSendPullingFromThePublisher() throws Exception {
        AtomicLong pulled = new AtomicLong();
        Sinks.One<Void> sendDone = Sinks.one();
        Sinks.One<WebSocketSession> sessions = Sinks.one();
        InetSocketAddress address = serve(session -> {
            sessions.tryEmitValue(session);
            return session.send(Flux.range(0, MESSAGES)
                            .doOnRequest(pulled::addAndGet)
                            .map(i -> {
                                byte[] payload = new byte[SIZE];
                                ByteBuffer.wrap(payload).putInt(i);
                                return Message.binary(payload).uncompressed();
                            }))
                    .doOnSuccess(v -> sendDone.tryEmitEmpty());
        });
        RawWebSocket peer = RawWebSocket.open(address, "/");
        SessionEngine engine = ((Session) sessions.asMono().block(WAIT)).engine();
        // Wait until the socket stopped taking bytes (the channel is unwritable): send() requests nothing then,
        // and what it pulled is what the write limit and the kernel's buffers hold, not the whole publisher (a
        // synchronous range that would be pulled at once without backpressure).
        Await.until("the channel unwritable", WAIT, () -> onLoop(engine, () -> !engine.channel.isWritable()));
        long stalled = onLoop(engine, pulled::get);
        assertTrue(stalled < MESSAGES / 4, "send() pulled " + stalled + " messages although the peer reads nothing");

        // The peer reads: everything arrives, in order, and send() completes.
        for (int i = 0; i < MESSAGES; i++) {
            RawWebSocket.RawFrame frame = peer.readFrame();
            assertEquals(0x2, frame.opcode());
            assertEquals(i, ByteBuffer.wrap(frame.payload()).getInt());
        }
        StepVerifier.create(sendDone.asMono()).expectComplete().verify(Duration.ofSeconds(10));
        peer.close();
    }

    private static <T> T onLoop(SessionEngine engine, Callable<T> task) {
        try {
            return engine.loop.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
