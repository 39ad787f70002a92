package dev.wsflux.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.testing.Await;
import dev.wsflux.core.testing.RawWebSocket;
import dev.wsflux.protocol.frames.CloseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@link RunningServer}'s broadcast and shutdown over loopback sockets: open and closed targets, each {@link
 * SlowConsumerPolicy} against a peer that does not read, and shutdown's 1001, 503, timeout, repetition and
 * argument checks.
 */
class RunningServerIT {
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

    private static WebSocketServer listening() {
        return WebSocketServer.create()
                .route("/chat", session -> session.receive().then());
    }

    private InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, WAIT, condition);
    }

    @Nested
    class Broadcast {
        @Test
        void aBroadcastReachesEveryOpenSession() {
            start(listening());
            List<WebSocketSession> clients = List.of(
                    TestClient.connect(server, "/chat"),
                    TestClient.connect(server, "/chat"),
                    TestClient.connect(server, "/chat"));
            await("three sessions", () -> server.sessions().size() == 3);
            assertEquals(3, server.broadcast(Message.text("news")));
            for (WebSocketSession client : clients) {
                StepVerifier.create(client.receive().take(1))
                        .expectNext(Message.text("news"))
                        .expectComplete()
                        .verify(WAIT);
            }
            assertEquals(
                    1,
                    server.broadcast(
                            Message.text("only one"),
                            List.of(server.sessions().iterator().next())));
        }

        @Test
        void closedSessionsAmongTheTargetsAreLeftOut() {
            start(listening());
            WebSocketSession leaving = TestClient.connect(server, "/chat");
            WebSocketSession staying = TestClient.connect(server, "/chat");
            await("two sessions", () -> server.sessions().size() == 2);
            List<WebSocketSession> targets = new ArrayList<>(server.sessions());

            leaving.close().block(WAIT);
            await(
                    "one session left open",
                    () -> targets.stream().filter(WebSocketSession::isOpen).count() == 1);

            assertEquals(1, server.broadcast(Message.text("to those left"), targets));
            StepVerifier.create(staying.receive().take(1))
                    .expectNext(Message.text("to those left"))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void aSessionFromAnotherLibraryIsRefused() {
            start(listening());
            WebSocketSession client = TestClient.connect(server, "/chat");
            await("one session", () -> server.sessions().size() == 1);
            WebSocketSession foreign = (WebSocketSession) java.lang.reflect.Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {WebSocketSession.class}, (proxy, method, args) -> {
                        if (method.getName().equals("toString")) {
                            return "a session from another library";
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
            assertThrows(IllegalArgumentException.class, () -> server.broadcast(Message.text("x"), List.of(foreign)));
            client.close().block(WAIT);
        }

        @Test
        void aSlowConsumerIsSkippedAndStaysOpen() throws IOException {
            start(listening());
            try (RawWebSocket slow = RawWebSocket.open(address(), "/chat")) {
                fillUntilSlow();
                assertEquals(0, server.broadcast(BIG), "skipped while over the limit");
                assertEquals(
                        0, server.broadcast(BIG, server.sessions(), SlowConsumerPolicy.SKIP), "skipped by name too");
                assertTrue(server.sessions().iterator().next().isOpen());
                // The peer reads again: the messages queued before it was slow arrive, and nothing else.
                RawWebSocket.RawFrame first = slow.readFrame();
                assertEquals(0x2, first.opcode());
            }
        }

        @ParameterizedTest
        @CsvSource({"CLOSE_POLICY_VIOLATION, 1008", "CLOSE_TRY_AGAIN_LATER, 1013"})
        void aSlowConsumerIsClosedWithThePolicysCode(SlowConsumerPolicy policy, int code) throws IOException {
            start(listening());
            try (RawWebSocket slow = RawWebSocket.open(address(), "/chat")) {
                int queued = fillUntilSlow();
                assertEquals(0, server.broadcast(BIG, server.sessions(), policy));
                await("the slow session closing", () -> server.sessions().stream()
                        .noneMatch(WebSocketSession::isOpen));
                // The slow peer finally reads: it finds the Close behind the messages queued before.
                int messages = 0;
                RawWebSocket.RawFrame frame;
                while ((frame = slow.readFrame()).opcode() != 0x8) {
                    assertEquals(0x2, frame.opcode());
                    messages++;
                }
                assertTrue(messages <= queued, messages + " messages, " + queued + " queued");
                ByteBuffer payload = ByteBuffer.wrap(frame.payload());
                assertEquals(code, payload.getShort() & 0xFFFF);
                assertEquals(
                        "slow consumer", StandardCharsets.UTF_8.decode(payload).toString());
            }
        }
    }

    /** 64 KiB, uncompressed: a few fill the write limit and the socket buffers of a peer that reads nothing. */
    private static final Message BIG = Message.binary(new byte[64 * 1024]).uncompressed();

    /**
     * Broadcasts {@link #BIG} to the one session until it is a slow consumer: the peer reads nothing, so once the
     * channel's own buffer is over the write limit, refusals last. A refusal can be transient (offers still waiting
     * for the event loop count against the limit, and once written the kernel may take them): three in a row, 10 ms
     * apart, tell. Returns how many were queued.
     */
    private int fillUntilSlow() {
        await("one session", () -> server.sessions().size() == 1);
        AtomicInteger queued = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        await("three refusals in a row", () -> {
            if (server.broadcast(BIG) == 1) {
                queued.incrementAndGet();
                refusals.set(0);
                return false;
            }
            return refusals.incrementAndGet() == 3;
        });
        assertTrue(queued.get() > 0);
        return queued.get();
    }

    @Nested
    class Shutdown {
        @Test
        void shutdownClosesOpenSessionsWithTheCodeAndStopsAccepting() {
            start(echo());
            WebSocketSession first = TestClient.connect(server, "/echo");
            WebSocketSession second = TestClient.connect(server, "/echo");
            StepVerifier.create(server.shutdown(1001, "maintenance", Duration.ofSeconds(5)))
                    .expectComplete()
                    .verify(WAIT);
            assertEquals(
                    new CloseStatus(1001, "maintenance"), first.closeStatus().block(WAIT));
            assertEquals(
                    new CloseStatus(1001, "maintenance"), second.closeStatus().block(WAIT));
            StepVerifier.create(first.receive()).expectComplete().verify(WAIT);
            assertTrue(server.sessions().isEmpty());
            assertTrue(server.isDisposed());
            assertThrows(RuntimeException.class, () -> TestClient.connect(server, "/echo"));
        }

        @Test
        void theDefaultShutdownIsGoingAway() {
            start(echo());
            WebSocketSession client = TestClient.connect(server, "/echo");
            server.shutdownNow();
            assertEquals(new CloseStatus(1001, ""), client.closeStatus().block(WAIT));
        }

        @Test
        void aHandshakeInProgressIsAnswered503() throws Exception {
            Sinks.Empty<Void> hookCalled = Sinks.empty();
            Sinks.Empty<Void> gate = Sinks.empty();
            start(echo().processRequest(request -> {
                hookCalled.tryEmitEmpty();
                return gate.asMono().then(Mono.empty());
            }));
            try (RawWebSocket peer = RawWebSocket.connect(address())) {
                CompletableFuture<String> head = CompletableFuture.supplyAsync(() -> {
                    try {
                        return peer.request(RawWebSocket.upgradeRequest(address(), "/echo", ""));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                hookCalled.asMono().block(WAIT);

                CompletableFuture<Void> shutdown =
                        server.shutdown(1001, "", Duration.ofSeconds(5)).toFuture();
                gate.tryEmitEmpty();

                String response = head.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(response.startsWith("HTTP/1.1 503"), response);
                assertEquals("Service Unavailable: the server is shutting down\n", peer.readBody(response));
                assertTrue(peer.readsEof(), "the server closes its side after the response");
                peer.output().close(); // closes the socket: the server sees our EOF
                shutdown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        }

        @Test
        void theTimeoutAbortsConnectionsThatDoNotCloseInTimeOnTheOptionsTimer() throws Exception {
            VirtualTimeScheduler time = VirtualTimeScheduler.create();
            try {
                start(echo().options(SessionOptions.builder()
                        .timer(time)
                        .closeTimeout(Duration.ZERO) // the shutdown's timeout alone ends the connection
                        .pingInterval(Duration.ZERO)
                        .build()));
                try (RawWebSocket stuck = RawWebSocket.open(address(), "/echo")) {
                    await("one session", () -> server.sessions().size() == 1);
                    CompletableFuture<Void> shutdown =
                            server.shutdown(1001, "", Duration.ofSeconds(30)).toFuture();
                    // The raw peer reads the Close and never answers it.
                    assertEquals(0x8, stuck.readFrame().opcode());

                    time.advanceTimeBy(Duration.ofSeconds(29));
                    assertFalse(shutdown.isDone(), "waiting for the peer within the timeout");

                    time.advanceTimeBy(Duration.ofSeconds(1));
                    shutdown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    assertTrue(stuck.readsEof(), "aborted");
                }
            } finally {
                time.dispose();
            }
        }

        @Test
        void callingItAgainOnlyWaits() throws Exception {
            start(echo());
            WebSocketSession client = TestClient.connect(server, "/echo");
            CompletableFuture<Void> first =
                    server.shutdown(1001, "first", Duration.ofSeconds(5)).toFuture();
            CompletableFuture<Void> second =
                    server.shutdown(1012, "second", Duration.ofSeconds(5)).toFuture();
            first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            second.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(new CloseStatus(1001, "first"), client.closeStatus().block(WAIT));
            StepVerifier.create(server.shutdown()).expectComplete().verify(WAIT);
        }

        @ParameterizedTest
        @ValueSource(ints = {999, 1004, 1006, 1015, 5000})
        void anInvalidCodeIsAnErrorSignalAndTheServerGoesOn(int code) {
            start(echo());
            StepVerifier.create(server.shutdown(code, "", Duration.ofSeconds(1)))
                    .expectError(IllegalArgumentException.class)
                    .verify(WAIT);
            assertFalse(server.isDisposed());
            TestClient.connect(server, "/echo").close().block(WAIT);
        }

        @Test
        void aReasonLongerThan123BytesOrNullIsAnErrorSignal() {
            start(echo());
            StepVerifier.create(server.shutdown(1000, "x".repeat(124), Duration.ofSeconds(1)))
                    .expectError(IllegalArgumentException.class)
                    .verify(WAIT);
            StepVerifier.create(server.shutdown(1000, null, Duration.ofSeconds(1)))
                    .expectError(IllegalArgumentException.class)
                    .verify(WAIT);
            assertFalse(server.isDisposed());
        }
    }
}
