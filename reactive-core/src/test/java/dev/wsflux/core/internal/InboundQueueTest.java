package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.subscriber.TestSubscriber;

class InboundQueueTest {

    /** Records what the queue asks of the engine. */
    static final class RecordingOwner implements InboundQueue.Owner {
        final List<String> calls = new ArrayList<>();
        int drains;

        @Override
        public boolean inEventLoop() {
            return true;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void drained() {
            drains++;
        }

        @Override
        public void closeMarkerReached() {
            calls.add("close");
        }
    }

    private final RecordingOwner owner = new RecordingOwner();
    private final InboundQueue queue = new InboundQueue(owner, 4, 1, 1000, 100);

    private static Message text(int i) {
        return Message.text("m" + i);
    }

    @Nested
    class Demand {
        @Test
        void deliversExactlyTheRequestedNumberOfMessagesInOrder() {
            for (int i = 0; i < 3; i++) {
                queue.offer(text(i));
            }
            StepVerifier.create(queue, 0)
                    .expectSubscription()
                    .expectNoEvent(java.time.Duration.ZERO)
                    .thenRequest(2)
                    .expectNext(text(0), text(1))
                    .then(() -> queue.offer(text(3)))
                    .thenRequest(2)
                    .expectNext(text(2), text(3))
                    .then(() -> queue.terminate(null))
                    .verifyComplete();
        }

        @Test
        void deliversMessagesOfferedWhileDemandIsOutstanding() {
            TestSubscriber<Message> subscriber =
                    TestSubscriber.builder().initialRequest(5).build();
            queue.subscribe(subscriber);
            queue.offer(text(0));
            queue.offer(text(1));
            assertEquals(List.of(text(0), text(1)), subscriber.getReceivedOnNext());
            assertEquals(0, queue.size());
        }

        @Test
        void aSecondSubscriberIsRejected() {
            queue.subscribe(TestSubscriber.create());
            StepVerifier.create(queue)
                    .expectErrorMatches(e -> e instanceof IllegalStateException
                            && e.getMessage().equals("receive() allows only one subscriber"))
                    .verify();
        }

        @Test
        void aLateSubscriberGetsTheQueuedMessagesThenTheTerminalSignal() {
            queue.offer(text(0));
            queue.terminate(new IllegalStateException("boom"));
            StepVerifier.create(queue)
                    .expectNext(text(0))
                    .expectErrorMessage("boom")
                    .verify();
        }

        @Test
        void theErrorWaitsBehindUndeliveredMessages() {
            queue.offer(text(0));
            queue.terminate(new IllegalStateException("boom"));
            StepVerifier.create(queue, 0)
                    .expectSubscription()
                    .expectNoEvent(java.time.Duration.ZERO)
                    .thenRequest(1)
                    .expectNext(text(0))
                    .expectErrorMessage("boom")
                    .verify();
        }

        @Test
        void messagesAfterTheEndAreDropped() {
            queue.terminate(null);
            queue.offer(text(0));
            queue.terminate(new IllegalStateException("ignored"));
            StepVerifier.create(queue).verifyComplete();
        }

        @Test
        void unboundedDemandIsNeverDecremented() {
            TestSubscriber<Message> subscriber = TestSubscriber.create();
            queue.subscribe(subscriber);
            for (int i = 0; i < 100; i++) {
                queue.offer(text(i));
            }
            assertEquals(100, subscriber.getReceivedOnNext().size());
            assertTrue(owner.calls.isEmpty(), owner.calls::toString);
        }

        @Test
        void requestingFromOnNextDoesNotRecurse() {
            for (int i = 0; i < 10; i++) {
                queue.offer(text(i));
            }
            List<Message> received = new ArrayList<>();
            queue.subscribe(new reactor.core.publisher.BaseSubscriber<Message>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                    request(1);
                }

                @Override
                protected void hookOnNext(Message value) {
                    received.add(value);
                    request(1);
                }
            });
            assertEquals(10, received.size());
            assertEquals(text(9), received.get(9));
        }
    }

    @Nested
    class FlowControl {
        @Test
        void theQueueIsFullAtTheHighMarkAndHasRoomAgainAtTheLowOne() {
            assertEquals(4, queue.messageRoom());
            assertEquals(1000, queue.byteRoom());
            for (int i = 0; i < 3; i++) {
                queue.offer(text(i));
            }
            assertFalse(queue.isFull(), "3 queued is below high (4)");
            assertEquals(1, queue.messageRoom());
            queue.offer(text(3));
            assertTrue(queue.isFull());
            assertEquals(0, queue.messageRoom());
            assertEquals(0, queue.byteRoom());
            TestSubscriber<Message> subscriber =
                    TestSubscriber.builder().initialRequest(2).build();
            queue.subscribe(subscriber);
            assertTrue(queue.isFull(), "2 left is above low (1)");
            assertEquals(1, owner.drains);
            subscriber.request(1);
            assertFalse(queue.isFull());
            assertEquals(3, queue.messageRoom());
            assertEquals(2, owner.drains);
        }

        @Test
        void theQueueIsFullAtTheByteHighMarkWhateverTheCount() {
            queue.offer(Message.binary(new byte[600]));
            assertFalse(queue.isFull());
            assertEquals(400, queue.byteRoom());
            queue.offer(Message.binary(new byte[600]));
            assertTrue(queue.isFull(), "1200 bytes: above the byte mark (1000) with 2 messages");
            assertEquals(0, queue.messageRoom());
            TestSubscriber<Message> subscriber =
                    TestSubscriber.builder().initialRequest(1).build();
            queue.subscribe(subscriber);
            assertTrue(queue.isFull(), "600 bytes left: above the byte low mark (100)");
            subscriber.request(1);
            assertFalse(queue.isFull());
        }

        @Test
        void aCancelledQueueHasUnlimitedRoom() {
            for (int i = 0; i < 4; i++) {
                queue.offer(text(i));
            }
            TestSubscriber<Message> subscriber =
                    TestSubscriber.builder().initialRequest(0).build();
            queue.subscribe(subscriber);
            subscriber.cancel();
            assertFalse(queue.isFull());
            assertEquals(Integer.MAX_VALUE, queue.messageRoom());
            assertEquals(Long.MAX_VALUE, queue.byteRoom());
            assertEquals(0, queue.queuedBytes());
        }

        @Test
        void countsTheQueuedPayloadBytes() {
            queue.offer(Message.binary(new byte[100]));
            queue.offer(Message.binary(new byte[28]));
            assertEquals(128, queue.queuedBytes());
            TestSubscriber<Message> subscriber =
                    TestSubscriber.builder().initialRequest(1).build();
            queue.subscribe(subscriber);
            assertEquals(28, queue.queuedBytes());
        }

        @Test
        void cancellingDropsQueuedAndLaterMessagesAndResumesReading() {
            for (int i = 0; i < 6; i++) {
                queue.offer(text(i));
            }
            TestSubscriber<Message> subscriber =
                    TestSubscriber.builder().initialRequest(1).build();
            queue.subscribe(subscriber);
            subscriber.cancel();
            assertEquals(2, owner.drains, "one delivery, then the cancel");
            assertFalse(queue.isFull());
            assertEquals(0, queue.size());
            assertEquals(0, queue.queuedBytes());
            queue.offer(text(7));
            assertEquals(0, queue.size());
            assertEquals(List.of(text(0)), subscriber.getReceivedOnNext());
            subscriber.cancel();
            assertEquals(2, owner.drains, "a second cancel does nothing");
        }

        @Test
        void cancellingFromOnNextStopsDelivery() {
            for (int i = 0; i < 3; i++) {
                queue.offer(text(i));
            }
            StepVerifier.create(queue.take(1)).expectNext(text(0)).verifyComplete();
            assertEquals(0, queue.size());
        }
    }

    @Nested
    class PendingClose {
        @Test
        void aCloseWithNothingQueuedIsCommittedAtOnce() {
            assertTrue(queue.markClose());
        }

        @Test
        void theCloseWaitsUntilTheMessagesBeforeItWereDelivered() {
            queue.offer(text(0));
            queue.offer(text(1));
            assertFalse(queue.markClose());
            TestSubscriber<Message> subscriber =
                    TestSubscriber.builder().initialRequest(1).build();
            queue.subscribe(subscriber);
            assertEquals(List.of(), owner.calls);
            subscriber.request(1);
            assertEquals(List.of("close"), owner.calls);
        }

        @Test
        void cancellingReleasesThePendingClose() {
            queue.offer(text(0));
            assertFalse(queue.markClose());
            TestSubscriber<Message> subscriber =
                    TestSubscriber.builder().initialRequest(0).build();
            queue.subscribe(subscriber);
            subscriber.cancel();
            assertEquals(List.of("close"), owner.calls);
        }

        @Test
        void afterACancelTheCloseIsCommittedAtOnce() {
            queue.offer(text(0));
            TestSubscriber<Message> subscriber =
                    TestSubscriber.builder().initialRequest(0).build();
            queue.subscribe(subscriber);
            subscriber.cancel();
            assertTrue(queue.markClose());
        }
    }

    @Test
    void invalidDemandIsIgnoredByTheQueue() {
        queue.offer(text(0));
        TestSubscriber<Message> subscriber =
                TestSubscriber.builder().initialRequest(0).build();
        queue.subscribe(subscriber);
        queue.request(0);
        assertEquals(1, queue.size());
    }
}
