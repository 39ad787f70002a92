package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.testing.Await;
import dev.wsflux.protocol.frames.ConnectionClosedErrorException;
import dev.wsflux.protocol.frames.ConnectionClosedOkException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The blocking API against our own server over loopback sockets. */
class BlockingWebSocketIT {
    private static final WebSocketClient CLIENT = WebSocketClient.create().noProxy();

    private RunningServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    private URI start(Function<? super WebSocketSession, ? extends Publisher<Void>> handler) {
        server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(handler)
                .bindNow();
        return URI.create("ws://127.0.0.1:" + server.port() + "/");
    }

    private static Mono<Void> echo(WebSocketSession session) {
        return session.send(session.receive());
    }

    @Test
    void aTimedOutRecvLosesNoMessage() {
        // The server answers each message 300 ms later.
        URI uri = start(session -> session.send(session.receive().delayUntil(m -> Mono.delay(Duration.ofMillis(300)))));
        try (BlockingWebSocket ws = BlockingWebSocket.connect(uri, CLIENT)) {
            ws.send("late");
            assertEquals(Optional.empty(), ws.recv(Duration.ofMillis(20)));
            assertEquals(Optional.of(Message.text("late")), ws.recv(Duration.ofSeconds(10)));
        }
    }

    @Test
    void sendsTextBytesAndBuffers() {
        URI uri = start(BlockingWebSocketIT::echo);
        try (BlockingWebSocket ws = BlockingWebSocket.connect(uri, CLIENT)) {
            ws.send("text");
            ws.send(new byte[] {1, 2});
            ws.send(ByteBuffer.wrap(new byte[] {9, 3, 4}, 1, 2));
            assertEquals(Message.text("text"), ws.recv());
            assertEquals(Message.binary(new byte[] {1, 2}), ws.recv());
            assertEquals(Message.binary(new byte[] {3, 4}), ws.recv());
            assertFalse(ws.ping().isNegative());
            assertTrue(ws.toString().endsWith(", open]"), ws.toString());
        }
    }

    @Test
    void concurrentSendsEachArriveWholeAndInOrderPerThread() throws Exception {
        URI uri = start(BlockingWebSocketIT::echo);
        int threads = 4;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (BlockingWebSocket ws = BlockingWebSocket.connect(uri, CLIENT)) {
            List<Future<?>> sending = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                sending.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        ws.send(thread + ":" + i + ":" + "x".repeat(1000));
                    }
                }));
            }
            Map<Integer, Integer> nextPerThread = new HashMap<>();
            for (int received = 0; received < threads * perThread; received++) {
                String[] parts =
                        ws.recv(Duration.ofSeconds(10)).orElseThrow().text().split(":");
                int thread = Integer.parseInt(parts[0]);
                int expected = nextPerThread.getOrDefault(thread, 0);
                assertEquals(expected, Integer.parseInt(parts[1]), "thread " + thread + " out of order");
                assertEquals(1000, parts[2].length());
                nextPerThread.put(thread, expected + 1);
            }
            for (Future<?> future : sending) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void iterationEndsOnACleanClose() {
        URI uri = start(session -> session.send(Flux.just(Message.text("a"), Message.text("b"), Message.text("c")))
                .then(session.close(1000, "done")));
        List<String> texts = new ArrayList<>();
        try (BlockingWebSocket ws = BlockingWebSocket.connect(uri, CLIENT)) {
            for (Message message : ws) {
                texts.add(message.text());
            }
            ConnectionClosedOkException closed = assertThrows(ConnectionClosedOkException.class, ws::recv);
            assertTrue(closed.getMessage().contains("1000"), closed.getMessage());
        }
        assertEquals(List.of("a", "b", "c"), texts);
    }

    @Test
    void iterationFailsOnAnErrorClose() {
        URI uri = start(session -> session.send(Message.text("a")).then(session.close(1011, "oops")));
        try (BlockingWebSocket ws = BlockingWebSocket.connect(uri, CLIENT)) {
            var iterator = ws.iterator();
            assertEquals(Message.text("a"), iterator.next());
            assertThrows(ConnectionClosedErrorException.class, iterator::hasNext);
            assertThrows(ConnectionClosedErrorException.class, () -> ws.recv(Duration.ofSeconds(1)));
        }
    }

    @Test
    void allowsOneRecvAtATime() throws Exception {
        URI uri = start(BlockingWebSocketIT::echo);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (BlockingWebSocket ws = BlockingWebSocket.connect(uri, CLIENT)) {
            Future<Message> waiting = pool.submit(() -> ws.recv());
            // Until the other thread holds recv(), a recv() here returns (nothing has arrived); then it is refused.
            IllegalStateException[] busy = new IllegalStateException[1];
            Await.until("the other thread waiting in recv()", Duration.ofSeconds(2), () -> {
                try {
                    ws.recv(Duration.ZERO);
                    return false;
                } catch (IllegalStateException e) {
                    busy[0] = e;
                    return true;
                }
            });
            assertEquals("another thread is already waiting in recv()", busy[0].getMessage());
            ws.send("release");
            assertEquals(Message.text("release"), waiting.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void connectFailuresAreUnchecked() {
        URI uri =
                URI.create("ws://127.0.0.1:" + start(BlockingWebSocketIT::echo).getPort() + "/");
        server.shutdownNow();
        server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .processRequest(request -> Mono.just(request.respond(404, "nothing here")))
                .handle(BlockingWebSocketIT::echo)
                .bindNow();
        URI missing = URI.create("ws://127.0.0.1:" + server.port() + "/");
        InvalidStatusException e =
                assertThrows(InvalidStatusException.class, () -> BlockingWebSocket.connect(missing, CLIENT));
        assertEquals(404, e.status());
        ConnectFailedException refused =
                assertThrows(ConnectFailedException.class, () -> BlockingWebSocket.connect(uri, CLIENT));
        assertInstanceOf(java.net.ConnectException.class, refused.getCause());
    }
}
