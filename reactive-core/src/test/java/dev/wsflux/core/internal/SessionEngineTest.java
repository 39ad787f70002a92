package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.ConnectionClosedOkException;
import dev.wsflux.test.WebSocketTestPair;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The session engine end to end, over the in-process pair with virtual time. */
class SessionEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private VirtualTimeScheduler time;
    private WebSocketTestPair pair;

    @BeforeEach
    void connect() {
        time = VirtualTimeScheduler.create();
        pair = WebSocketTestPair.createNow(SessionOptions.builder().timer(time).build());
    }

    @AfterEach
    void close() {
        pair.close();
        time.dispose();
    }

    private WebSocketTestPair reconnect(SessionOptions options) {
        pair.close();
        pair = WebSocketTestPair.createNow(options);
        return pair;
    }

    @Nested
    class Messages {
        @Test
        void textAndBinaryMessagesArriveWholeAndInOrder() {
            Message binary = Message.binary(new byte[] {1, 2, 3});
            StepVerifier.create(pair.client().send(Flux.just(Message.text("héllo"), binary)))
                    .verifyComplete();
            StepVerifier.create(pair.server().receive().take(2))
                    .expectNext(Message.text("héllo"), binary)
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void theServerEchoesWhatTheClientSends() {
            pair.server().send(pair.server().receive()).subscribe();
            List<Message> messages = Flux.range(0, 100)
                    .map(i -> Message.text("m" + i))
                    .collectList()
                    .block();
            StepVerifier.create(pair.client()
                            .send(Flux.fromIterable(messages))
                            .thenMany(pair.client().receive().take(100)))
                    .expectNextSequence(messages)
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void anEchoHandlersSendCompletesWhenThePeerClosesCleanly() {
            Mono<Void> echo = pair.server().send(pair.server().receive()).cache();
            echo.subscribe(v -> {}, e -> {});
            StepVerifier.create(pair.client()
                            .send(Message.text("ping"))
                            .thenMany(pair.client().receive().take(1)))
                    .expectNext(Message.text("ping"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(pair.client().close(1000, "bye"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(echo).expectComplete().verify(WAIT);
        }

        @Test
        void aPendingSendErrorsWhenTheConnectionClosesWithAnError() {
            Mono<Void> pending = pair.server().send(Flux.never()).cache();
            pending.subscribe(v -> {}, e -> {});
            StepVerifier.create(pair.client().close(4001, "policy"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(pending)
                    .expectError(ConnectionClosedException.class)
                    .verify(WAIT);
        }

        @Test
        void aLargeMessageCrossesIntact() {
            byte[] big = new byte[300_000];
            new java.util.Random(0).nextBytes(big);
            StepVerifier.create(pair.client().send(Message.binary(big))).verifyComplete();
            StepVerifier.create(pair.server().receive().next().map(Message::bytes))
                    .expectNextMatches(bytes -> java.util.Arrays.equals(bytes, big))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void sendRequestsOneMessageFirstThenAheadWithinThePrefetch() {
            TestPublisher<Message> publisher = TestPublisher.create();
            int prefetch = SessionOptions.DEFAULT_SEND_PREFETCH;
            StepVerifier.create(pair.client().send(publisher))
                    .then(() -> awaitTrue(() -> requested(publisher, 1)))
                    .then(() -> publisher.assertMaxRequested(1)) // the size of messages is not known yet
                    .then(() -> publisher.next(Message.text("a")))
                    .then(() -> awaitTrue(() -> requested(publisher, prefetch)))
                    .then(() -> publisher.assertMaxRequested(prefetch))
                    .then(publisher::complete)
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(pair.server().receive().next())
                    .expectNext(Message.text("a"))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void aPublisherErrorFailsSendButKeepsTheConnectionOpen() {
            StepVerifier.create(pair.client().send(Flux.error(new IllegalStateException("boom"))))
                    .expectErrorMessage("boom")
                    .verify(WAIT);
            assertTrue(pair.client().isOpen());
            StepVerifier.create(pair.client().send(Message.text("still open")))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void aSecondReceiveSubscriberIsRejected() {
            pair.server().receive().subscribe();
            StepVerifier.create(pair.server().receive())
                    .expectError(IllegalStateException.class)
                    .verify(WAIT);
        }
    }

    @Nested
    class Closing {
        @Test
        void closingThePairAbortsBothSessions() {
            WebSocketSession client = pair.client();
            WebSocketSession server = pair.server();

            pair.close();

            assertEquals(
                    CloseCodes.ABNORMAL_CLOSURE,
                    client.closeStatus().block(WAIT).code());
            assertEquals(
                    CloseCodes.ABNORMAL_CLOSURE,
                    server.closeStatus().block(WAIT).code());
        }

        @Test
        void aCloseFromTheClientCompletesReceiveOnBothSides() {
            StepVerifier.create(pair.client().close(1000, "bye"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(pair.server().receive()).expectComplete().verify(WAIT);
            StepVerifier.create(pair.client().receive()).expectComplete().verify(WAIT);
            StepVerifier.create(pair.server().closeStatus())
                    .expectNext(new CloseStatus(1000, "bye"))
                    .expectComplete()
                    .verify(WAIT);
            ConnectionClosedException details = pair.client().closeDetails().block(WAIT);
            assertInstanceOf(ConnectionClosedOkException.class, details);
            assertEquals(1000, details.sent().code());
            assertEquals(1000, details.received().code());
            assertFalse(pair.client().isOpen());
        }

        @Test
        void anErrorCodeMakesReceiveErrorWithBothCloseFrames() {
            pair.server().close(4000, "custom").subscribe();
            StepVerifier.create(pair.client().receive())
                    .expectErrorSatisfies(error -> {
                        ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, error);
                        assertFalse(closed.isOk());
                        assertEquals(new CloseStatus(4000, "custom"), closed.received());
                    })
                    .verify(WAIT);
        }

        @Test
        void messagesSentBeforeTheCloseAreDeliveredBeforeReceiveCompletes() {
            pair.client()
                    .send(Flux.just(Message.text("1"), Message.text("2")))
                    .then(pair.client().close())
                    .subscribe();
            StepVerifier.create(pair.server().receive())
                    .expectNext(Message.text("1"), Message.text("2"))
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void sendingAfterTheCloseFailsWithTheClosingDetails() {
            pair.client().close().block(WAIT);
            StepVerifier.create(pair.client().send(Message.text("late")))
                    .expectError(ConnectionClosedException.class)
                    .verify(WAIT);
            StepVerifier.create(pair.client().ping())
                    .expectError(ConnectionClosedException.class)
                    .verify(WAIT);
        }

        @Test
        void closingTwiceCompletesAtOnce() {
            pair.client().close().block(WAIT);
            StepVerifier.create(pair.client().close()).expectComplete().verify(WAIT);
        }

        @Test
        void invalidCloseArgumentsAreErrorSignals() {
            StepVerifier.create(pair.client().close(1006, ""))
                    .expectError(IllegalArgumentException.class)
                    .verify();
            StepVerifier.create(pair.client().close(1005, "a reason needs a code"))
                    .expectError(IllegalArgumentException.class)
                    .verify();
            StepVerifier.create(pair.client().close(1000, "x".repeat(124)))
                    .expectError(IllegalArgumentException.class)
                    .verify();
        }

        @Test
        void anEmptyCloseIsSentAs1005() {
            StepVerifier.create(pair.client().close(1005, "")).expectComplete().verify(WAIT);
            assertEquals(new CloseStatus(1005, ""), pair.server().closeStatus().block(WAIT));
            assertTrue(pair.client().closeDetails().block(WAIT).isOk());
        }

        @Test
        void cancellingReceiveKeepsTheConnectionOpenAndProcessesTheClose() {
            StepVerifier.create(pair.server().receive().take(1))
                    .then(() -> pair.client().send(Message.text("first")).subscribe())
                    .expectNext(Message.text("first"))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(pair.client().send(Flux.range(0, 50).map(i -> Message.text("dropped " + i))))
                    .expectComplete()
                    .verify(WAIT);
            assertTrue(pair.server().isOpen());
            StepVerifier.create(pair.client().close()).expectComplete().verify(WAIT);
            assertEquals(1000, pair.server().closeStatus().block(WAIT).code());
        }

        @Test
        void aHandlerOnTheServerSideSeesTheSessionDetails() {
            assertNotNull(pair.server().id());
            assertNull(pair.server().subprotocol());
            assertEquals(List.of(), pair.server().extensions());
            assertEquals("GET", pair.server().handshakeRequest().method());
            assertEquals(101, pair.client().handshakeResponse().status());
            assertNotNull(pair.client().localAddress());
            assertNotNull(pair.client().remoteAddress());
            assertEquals(Duration.ZERO, pair.client().latency());
        }
    }

    @Nested
    class Pings {
        @Test
        void aPingCompletesWithTheRoundTripTimeAndUpdatesLatency() {
            StepVerifier.create(pair.client().ping(ByteBuffer.wrap(new byte[] {1})))
                    .expectNextMatches(rtt -> !rtt.isNegative())
                    .expectComplete()
                    .verify(WAIT);
        }

        @Test
        void aPingWithTheSamePayloadAsOneInFlightIsRejected() {
            // Pause the server's reading so that the first ping stays unanswered.
            fillTheClientToServerQueue();
            pair.client().ping(ByteBuffer.wrap(new byte[] {7})).subscribe();
            StepVerifier.create(pair.client().ping(ByteBuffer.wrap(new byte[] {7})))
                    .expectErrorMatches(e -> e instanceof IllegalStateException
                            && e.getMessage().startsWith("already waiting for a pong with the same data"))
                    .verify(WAIT);
        }

        @Test
        void aTooLongPingPayloadIsAnErrorSignal() {
            StepVerifier.create(pair.client().ping(ByteBuffer.allocate(126)))
                    .expectError(IllegalArgumentException.class)
                    .verify();
        }
    }

    @Nested
    class KeepalivePings {
        @Test
        void aKeepalivePingIsSentEveryIntervalAndItsPongUpdatesLatency() {
            assertEquals(Duration.ZERO, pair.server().latency());
            fillTheServerToClientQueueAndPause();
            time.advanceTimeBy(Duration.ofSeconds(20));
            awaitTrue(() -> server().pendingPings() == 1);
            time.advanceTimeBy(Duration.ofMillis(5));
            // The client reads again: it answers the ping, and the pong measures 5 ms of virtual time.
            pair.client().receive().subscribe();
            awaitTrue(() -> server().pendingPings() == 0);
            assertEquals(Duration.ofMillis(5), pair.server().latency());
            assertTrue(pair.server().isOpen());
        }

        @Test
        void noPongWithinThePingTimeoutFailsTheConnectionWith1011() {
            // The client stops reading: its queue of unconsumed messages is above maxQueue.high.
            StepVerifier.create(pair.server().send(Flux.range(0, 40).map(i -> Message.text("m" + i))))
                    .expectComplete()
                    .verify(WAIT);
            awaitTrue(() -> engine(pair.client()).inbound().isFull());
            time.advanceTimeBy(Duration.ofSeconds(20));
            // Timer tasks hop onto the event loop: wait for the ping (and its timeout timer) to exist.
            awaitTrue(() -> server().pendingPings() == 1);
            time.advanceTimeBy(Duration.ofSeconds(20));
            // The client, stalled, still reads the server's FIN (Netty reads on EPOLLRDHUP) and closes: a truly
            // half-open peer is SessionEngineIT's.
            ConnectionClosedException details = pair.server().closeDetails().block(WAIT);
            assertEquals(new CloseStatus(1011, "keepalive ping timeout"), details.sent());
        }

        @Test
        void keepalivePingsRepeatEveryIntervalAndTheirTimerGoesWithTheSessions() {
            // The default interval, also used by the first pair (closed by reconnect): its ticker must go too.
            Duration every = Duration.ofSeconds(20);
            reconnect(SessionOptions.builder()
                    .timer(time)
                    .pingInterval(every)
                    .pingTimeout(Duration.ZERO)
                    .build());
            // The client stops reading, so the server's ping stays unanswered.
            fillTheServerToClientQueueAndPause();
            time.advanceTimeBy(every);
            awaitTrue(() -> server().pendingPings() == 1);
            // No second keepalive ping while the first waits for its Pong (pingTimeout is off here).
            time.advanceTimeBy(every);
            assertEquals(1, onLoop(() -> server().pendingPings()));

            pair.client().receive().subscribe(); // reads again: answers the ping
            awaitTrue(() -> server().pendingPings() == 0);
            long before = onLoop(() -> engine(pair.client()).bytesRead());
            time.advanceTimeBy(every);
            // The next interval brings the next ping (6 bytes on the wire), answered at once.
            awaitTrue(() -> engine(pair.client()).bytesRead() >= before + 6);
            awaitTrue(() -> server().pendingPings() == 0);
            long interval = every.toNanos();
            assertTrue(KeepaliveTicker.isTicking(time, interval));

            StepVerifier.create(pair.server().close(1000, "bye"))
                    .expectComplete()
                    .verify(WAIT);

            awaitTrue(() -> !KeepaliveTicker.isTicking(time, interval));
        }

        @Test
        void keepaliveCanBeDisabled() {
            WebSocketTestPair quiet = reconnect(SessionOptions.builder()
                    .timer(time)
                    .pingInterval(Duration.ZERO)
                    .build());
            time.advanceTimeBy(Duration.ofMinutes(10));
            assertEquals(0, onLoop(() -> server().pendingPings()));
            assertTrue(quiet.server().isOpen());
        }
    }

    @Nested
    class Bounds {
        @Test
        void aHotPublisherOnVirtualTimeIsNotFailedByDemand() {
            // Flux.interval ignores backpressure: with one-at-a-time demand its second tick overflowed.
            AtomicLong received = new AtomicLong();
            pair.server().receive().subscribe(message -> received.incrementAndGet());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            pair.client()
                    .send(Flux.interval(Duration.ofMillis(1), time).map(i -> Message.text("tick " + i)))
                    .subscribe(null, failure::set);
            for (int ms = 0; ms < 10_000; ms++) {
                time.advanceTimeBy(Duration.ofMillis(1));
                // Let the client's loop write what this millisecond emitted, as a real clock would.
                onLoop(engine(pair.client()), () -> null);
            }
            assertNull(failure.get(), () -> "send() failed: " + failure.get());
            awaitTrue(() -> received.get() == 10_000);
        }

        @Test
        void closeWithUnreadInputCompletesInOneRoundTripWithoutTheCloseTimeout() {
            // The server never subscribes to receive(): 40 messages fill its queue and its socket.
            StepVerifier.create(pair.client().send(Flux.range(0, 40).map(i -> Message.text("m" + i))))
                    .expectComplete()
                    .verify(WAIT);
            awaitTrue(() -> server().inbound().isFull());
            // No virtual time passes: completing proves that nothing waited for closeTimeout.
            StepVerifier.create(pair.server().close(1000, "bye"))
                    .expectComplete()
                    .verify(WAIT);
            assertEquals(
                    new CloseStatus(1000, "bye"), pair.client().closeStatus().block(WAIT));
        }

        @Test
        void sendCompletesWhenThePeerClosesNormallyFirst() {
            Sinks.One<Throwable> outcome = Sinks.one();
            // A publisher that never ends: only the closure can end this send().
            pair.server()
                    .send(Flux.<Message>never().startWith(Message.text("hello")))
                    .subscribe(null, outcome::tryEmitValue, () -> outcome.tryEmitEmpty());
            StepVerifier.create(pair.client().receive().take(1))
                    .expectNext(Message.text("hello"))
                    .verifyComplete();
            StepVerifier.create(pair.client().close()).expectComplete().verify(WAIT);
            StepVerifier.create(outcome.asMono()).expectComplete().verify(WAIT);
        }

        @Test
        void aSendStartedAfterAnOkCloseFailsWithDetailsThatSayWhoClosedFirst() {
            StepVerifier.create(pair.client().close()).expectComplete().verify(WAIT);
            StepVerifier.create(pair.server().send(Message.text("too late")))
                    .expectErrorSatisfies(error -> {
                        assertInstanceOf(ConnectionClosedOkException.class, error);
                        assertEquals("received 1000 (OK); then sent 1000 (OK)", error.getMessage());
                    })
                    .verify(WAIT);
        }

        @Test
        void aPeerThatReadsNothingStopsTheSenderLikeTcp() {
            // The client never reads: the kernel's socket buffers fill, then writeLimit, then send() stops.
            AtomicLong pulled = new AtomicLong();
            byte[] kilobyte = new byte[1024];
            pair.server()
                    .send(Flux.range(0, 1_000_000)
                            .doOnRequest(pulled::addAndGet)
                            .map(i -> Message.binary(kilobyte).uncompressed()))
                    .subscribe();
            awaitTrue(() -> !engine(pair.server()).channel.isWritable()
                    && engine(pair.client()).inbound().isFull());
            long stalled = pulled.get();
            onLoop(engine(pair.client()), () -> null);
            onLoop(() -> null);
            assertEquals(stalled, pulled.get(), "send() stopped pulling");
            // Socket buffers on loopback hold a few MiB: far from the million messages offered.
            assertTrue(stalled < 100_000, "pulled " + stalled + " messages of 1 KiB");
        }
    }

    @Nested
    class CloseTimeout {
        @Test
        void aPeerThatNeverAnswersTheCloseIsAbortedAfterCloseTimeout() {
            fillTheServerToClientQueueAndPause();
            pair.server().close(1001, "going").subscribe();
            awaitTrue(() -> !pair.server().isOpen());
            time.advanceTimeBy(Duration.ofSeconds(9));
            StepVerifier.create(pair.server().closeDetails())
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(50))
                    .thenCancel()
                    .verify(WAIT);
            time.advanceTimeBy(Duration.ofSeconds(1));
            ConnectionClosedException details = pair.server().closeDetails().block(WAIT);
            assertEquals(1001, details.sent().code());
            assertNull(details.received());
        }
    }

    private static boolean requested(TestPublisher<Message> publisher, long n) {
        try {
            publisher.assertMinRequested(n);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    private static SessionEngine engine(WebSocketSession session) {
        return ((Session) session).engine();
    }

    private SessionEngine server() {
        return engine(pair.server());
    }

    /** Makes the client stop reading: 40 messages the client does not consume. */
    private void fillTheServerToClientQueueAndPause() {
        pair.server().send(Flux.range(0, 40).map(i -> Message.text("m" + i))).block(WAIT);
        awaitTrue(() -> engine(pair.client()).inbound().isFull());
    }

    /** Makes the server stop reading: 40 messages the server does not consume. */
    private void fillTheClientToServerQueue() {
        pair.client().send(Flux.range(0, 40).map(i -> Message.text("m" + i))).block(WAIT);
        awaitTrue(() -> server().inbound().isFull());
    }

    private static <T> T onLoop(SessionEngine engine, java.util.concurrent.Callable<T> task) {
        try {
            return engine.loop.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) {
        try {
            return engine(pair.server()).loop.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Polls the event loop until {@code condition} holds: a bounded wait for cross-thread effects. */
    private void awaitTrue(java.util.function.BooleanSupplier condition) {
        dev.wsflux.core.testing.Await.until(
                "a condition on the server's loop", WAIT, () -> onLoop(condition::getAsBoolean));
    }
}
