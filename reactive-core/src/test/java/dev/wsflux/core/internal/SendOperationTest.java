package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/**
 * {@link SendOperation} against a fake {@link SendOperation.Outbound} whose "event loop" is a queue the test
 * runs: a call is "on the loop" only inside {@link FakeOutbound#onLoop} or {@link FakeOutbound#runPending}.
 */
class SendOperationTest {
    private static final int PREFETCH = 32;
    /** What {@code SendOperation} adds to each message's length for its frame header: 2 + 8 + 4. */
    private static final int HEADER = 14;

    private static final ConnectionClosedException OK =
            ConnectionClosedException.of(new CloseStatus(1000, ""), new CloseStatus(1000, ""), true, null);
    private static final ConnectionClosedException ABNORMAL = ConnectionClosedException.of(null, null, null, null);

    /** The engine as {@code SendOperation} sees it, with a loop the test runs by hand. */
    static final class FakeOutbound implements SendOperation.Outbound {
        final ArrayDeque<Runnable> loop = new ArrayDeque<>();
        final List<Message> written = new ArrayList<>();
        final List<SendOperation.Sender> registered = new ArrayList<>();
        final List<Consumer<Boolean>> whenWritten = new ArrayList<>();
        boolean inLoop;
        int registrations;
        long room = 32 * 1024;
        boolean takesData = true;
        /** What {@link #register} answers: {@code null} while the connection takes data. */
        ConnectionClosedException refusal;

        ConnectionClosedException details = OK;

        /** Runs {@code task} as the event loop would run it (without running what is queued). */
        void onLoop(Runnable task) {
            boolean outer = inLoop;
            inLoop = true;
            try {
                task.run();
            } finally {
                inLoop = outer;
            }
        }

        /** Runs the queued tasks, and those they queue, in order. */
        void runPending() {
            for (Runnable task; (task = loop.poll()) != null; ) {
                onLoop(task);
            }
        }

        SendOperation.Sender sender() {
            assertEquals(1, registered.size(), "one registered sender");
            return registered.get(0);
        }

        /** Everything written so far reached the socket ({@code true}) or not. */
        void flushed(boolean all) {
            List<Consumer<Boolean>> callbacks = new ArrayList<>(whenWritten);
            whenWritten.clear();
            onLoop(() -> callbacks.forEach(callback -> callback.accept(all)));
        }

        @Override
        public boolean inEventLoop() {
            return inLoop;
        }

        @Override
        public void execute(Runnable task) {
            if (inLoop) {
                task.run();
            } else {
                loop.add(task);
            }
        }

        @Override
        public void executeLater(Runnable task) {
            loop.add(task);
        }

        @Override
        public Throwable register(SendOperation.Sender sender) {
            assertTrue(inLoop, "register() runs on the loop");
            registrations++;
            if (refusal != null) {
                return refusal;
            }
            registered.add(sender);
            return null;
        }

        @Override
        public void unregister(SendOperation.Sender sender) {
            assertTrue(inLoop, "unregister() runs on the loop");
            registered.remove(sender);
        }

        @Override
        public long bytesBeforeUnwritable() {
            return room;
        }

        @Override
        public boolean send(Message message) {
            assertTrue(inLoop, "send() runs on the loop");
            if (!takesData) {
                return false;
            }
            written.add(message);
            return true;
        }

        @Override
        public void whenWritten(Consumer<Boolean> callback) {
            whenWritten.add(callback);
        }

        @Override
        public ConnectionClosedException closeDetailsNow() {
            return details;
        }
    }

    private final FakeOutbound outbound = new FakeOutbound();
    private final TestPublisher<Message> publisher = TestPublisher.create();
    private final List<Long> requests = new ArrayList<>();

    /** The send of {@link #publisher}, recording each request it makes. */
    private SendOperation send() {
        return new SendOperation(outbound, Flux.from(publisher).doOnRequest(requests::add), PREFETCH);
    }

    private static Message text(int i) {
        return Message.text("m" + i);
    }

    private static Message ofSize(int length) {
        return Message.binary(new byte[length]);
    }

    @Nested
    class Demand {
        @Test
        void theFirstRequestIsOneMessageMadeOnTheSubscribingThreadBeforeTheRegistration() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(() -> {
                        assertEquals(List.of(1L), requests);
                        assertEquals(0, outbound.registrations, "the registration waits for the loop");
                        outbound.runPending();
                        assertEquals(1, outbound.registrations);
                        assertEquals(List.of(1L), requests, "nothing more before the first message's size is known");
                    })
                    .thenCancel()
                    .verify();
        }

        @Test
        void afterTheFirstMessageItRequestsUpToThePrefetch() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(text(0)))
                    .then(outbound::runPending)
                    .then(() -> {
                        assertEquals(List.of(text(0)), outbound.written);
                        // 32 KiB of room / 16 bytes a message is far above the prefetch.
                        assertEquals(List.of(1L, (long) PREFETCH), requests);
                    })
                    .thenCancel()
                    .verify();
        }

        @Test
        void largeMessagesAreRequestedOnlyAsManyAsTheRoomUnderTheWriteLimitHolds() {
            outbound.room = 32 * 1024;
            int size = 10_000;
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(ofSize(size)))
                    .then(outbound::runPending)
                    .then(() -> assertEquals(List.of(1L, 32L * 1024 / (size + HEADER)), requests))
                    .thenCancel()
                    .verify();
        }

        @Test
        void demandIsReplenishedOnceThreeQuartersOfItWereWritten() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(text(0)))
                    .then(outbound::runPending)
                    .then(() -> {
                        // 32 outstanding: nothing more is requested until 8 are left (a quarter).
                        for (int i = 1; i <= 23; i++) {
                            publisher.next(text(i));
                        }
                        outbound.runPending();
                        assertEquals(List.of(1L, (long) PREFETCH), requests, "9 outstanding: no request yet");
                        publisher.next(text(24));
                        outbound.runPending();
                        assertEquals(List.of(1L, (long) PREFETCH, 24L), requests, "8 outstanding: back up to 32");
                        assertEquals(25, outbound.written.size());
                    })
                    .thenCancel()
                    .verify();
        }

        @Test
        void nothingIsRequestedWhileTheChannelIsUnwritableAndDemandResumesWhenItIsWritable() {
            outbound.room = 0;
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(text(0)))
                    .then(outbound::runPending)
                    .then(() -> {
                        assertEquals(List.of(text(0)), outbound.written, "the message requested first is written");
                        assertEquals(List.of(1L), requests, "no more while unwritable");
                        outbound.room = 32 * 1024;
                        outbound.onLoop(outbound.sender()::onWritable);
                        assertEquals(List.of(1L, (long) PREFETCH), requests);
                    })
                    .thenCancel()
                    .verify();
        }

        @Test
        void aWritabilityChangeWithDemandOutstandingRequestsNothingMore() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> {
                        outbound.onLoop(outbound.sender()::onWritable);
                        assertEquals(List.of(1L), requests, "the first message is still outstanding");
                    })
                    .thenCancel()
                    .verify();
        }
    }

    @Nested
    class Order {
        @Test
        void aMessageEmittedOnTheLoopIsWrittenAtOnce() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> outbound.onLoop(() -> publisher.next(text(0))))
                    .then(() -> assertEquals(List.of(text(0)), outbound.written))
                    .thenCancel()
                    .verify();
        }

        @Test
        void signalsFromAnotherThreadThenFromTheLoopKeepThePublishersOrder() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(text(0)))
                    .then(outbound::runPending)
                    .then(() -> {
                        publisher.next(text(1)); // off the loop: queued
                        // Then the publisher emits on the loop (a request made there, say) while 1 is still
                        // queued: 2 and the completion must wait behind it.
                        outbound.onLoop(() -> {
                            publisher.next(text(2));
                            publisher.complete();
                        });
                        assertEquals(List.of(text(0)), outbound.written, "nothing overtakes the queued message");
                        outbound.runPending();
                        assertEquals(List.of(text(0), text(1), text(2)), outbound.written);
                    })
                    .then(() -> outbound.flushed(true))
                    .verifyComplete();
        }
    }

    @Nested
    class Completion {
        @Test
        void completesOnceEverythingWasWrittenToTheSocket() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(text(0)).complete())
                    .then(outbound::runPending)
                    .then(() -> {
                        assertEquals(1, outbound.whenWritten.size(), "waits for the write");
                        assertTrue(outbound.registered.isEmpty(), "no longer hears of writability");
                    })
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> outbound.flushed(true))
                    .verifyComplete();
        }

        @Test
        void anUnfinishedWriteAfterAnOkClosureCompletes() {
            outbound.details = OK;
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(text(0)).complete())
                    .then(outbound::runPending)
                    .then(() -> outbound.flushed(false))
                    .verifyComplete();
        }

        @Test
        void anUnfinishedWriteAfterAnAbnormalClosureErrorsWithTheDetails() {
            outbound.details = ABNORMAL;
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(text(0)).complete())
                    .then(outbound::runPending)
                    .then(() -> outbound.flushed(false))
                    .expectErrorSatisfies(error -> assertSame(ABNORMAL, error))
                    .verify();
        }

        @Test
        void anOkClosureWhileRunningCompletesAndCancelsThePublisher() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(text(0)))
                    .then(outbound::runPending)
                    .then(() -> outbound.onLoop(() -> outbound.sender().connectionClosed(OK)))
                    .expectComplete()
                    .verify();
            publisher.assertCancelled();
            assertTrue(outbound.registered.isEmpty());
        }

        @Test
        void anAbnormalClosureWhileRunningErrorsWithTheDetailsAndCancelsThePublisher() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> outbound.onLoop(() -> outbound.sender().connectionClosed(ABNORMAL)))
                    .expectErrorSatisfies(error -> assertSame(ABNORMAL, error))
                    .verify();
            publisher.assertCancelled();
        }

        @Test
        void aMessageRefusedBecauseTheConnectionIsClosingWaitsForTheClosure() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> {
                        outbound.takesData = false;
                        publisher.next(text(0));
                        outbound.runPending();
                        publisher.assertCancelled();
                        assertEquals(List.of(1L), requests, "nothing requested once closing");
                    })
                    .expectNoEvent(Duration.ZERO)
                    .then(() -> outbound.onLoop(() -> outbound.sender().connectionClosed(OK)))
                    .verifyComplete();
        }

        @Test
        void aMessageRefusedBecauseTheConnectionIsClosingErrorsOnAnAbnormalClosure() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> {
                        outbound.takesData = false;
                        publisher.next(text(0));
                        outbound.runPending();
                    })
                    .then(() -> outbound.onLoop(() -> outbound.sender().connectionClosed(ABNORMAL)))
                    .expectErrorSatisfies(error -> assertSame(ABNORMAL, error))
                    .verify();
        }

        @Test
        void aSendRegisteredAfterTheConnectionStoppedTakingDataErrorsAtOnce() {
            outbound.refusal = ABNORMAL;
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .expectErrorSatisfies(error -> assertSame(ABNORMAL, error))
                    .verify();
            publisher.assertCancelled();
            assertTrue(outbound.written.isEmpty());
        }

        @Test
        void aPublisherErrorFailsTheSend() {
            IllegalStateException failure = new IllegalStateException("boom");
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(text(0)).error(failure))
                    .then(outbound::runPending)
                    .expectErrorSatisfies(error -> assertSame(failure, error))
                    .verify();
            assertEquals(List.of(text(0)), outbound.written);
            assertTrue(outbound.registered.isEmpty());
        }
    }

    @Nested
    class Cancellation {
        @Test
        void cancellingCancelsThePublisherAndUnregistersOnTheLoop() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(text(0)))
                    .then(outbound::runPending)
                    .thenCancel()
                    .verify();
            publisher.assertCancelled();
            assertEquals(1, outbound.registered.size(), "unregistered by a task on the loop");
            outbound.runPending();
            assertTrue(outbound.registered.isEmpty());
        }

        @Test
        void aMessageQueuedBeforeTheCancelIsNotWritten() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> publisher.next(text(0)))
                    .thenCancel()
                    .verify();
            outbound.runPending();
            assertTrue(outbound.written.isEmpty());
        }

        @Test
        void cancellingBeforeTheRegistrationRanNeverRegisters() {
            StepVerifier.create(send()).expectSubscription().thenCancel().verify();
            outbound.runPending();
            assertEquals(0, outbound.registrations);
        }

        @Test
        void aClosureAfterTheCancelSignalsNothing() {
            StepVerifier.create(send())
                    .expectSubscription()
                    .then(outbound::runPending)
                    .then(() -> {
                        SendOperation.Sender sender = outbound.sender();
                        sender.cancel();
                        // The closure arrives on the loop before the unregistration task ran.
                        outbound.onLoop(() -> sender.connectionClosed(ABNORMAL));
                    })
                    .expectNoEvent(Duration.ZERO)
                    .thenCancel()
                    .verify();
            outbound.runPending();
            assertTrue(outbound.registered.isEmpty());
        }
    }
}
