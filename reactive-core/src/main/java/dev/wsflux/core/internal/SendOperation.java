package dev.wsflux.core.internal;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.WireFormat;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The {@code Mono} returned by {@link WebSocketSession#send(Publisher)}: subscribes to the messages and
 * writes each one whole, as one final frame, on the event loop.
 *
 * <p><b>Demand.</b> It requests ahead, as {@code limitRate} does, so that a publisher that emits on its own
 * clock ({@code Flux.interval}) is not failed by one-at-a-time demand: first one message (its size is not
 * known yet), then up to {@code sendPrefetch} outstanding, replenished once three quarters of them were
 * written. Requests are sized by bytes too: never more messages than the room left under
 * {@code writeLimitHigh} divided by the size of recent messages (a decaying maximum), and none while the
 * channel is not writable (the bytes queued for the socket are above {@code writeLimitHigh}, until they
 * drain below {@code writeLimitLow}). So the bytes buffered stay under {@code writeLimitHigh} plus the
 * messages already requested: about one round of room for messages of steady size, and at most
 * {@code sendPrefetch} messages in any case.
 *
 * <p><b>Completion.</b> Completes once the last message was written to the socket. When the connection
 * stops taking data first (a Close was sent or received), the publisher is cancelled and the outcome waits
 * for the connection to close: it completes if the closure is OK, whoever closed first (everything written
 * before our Close reached the peer, since TCP keeps order), and errors with the {@link
 * ConnectionClosedException} otherwise. A publisher error fails it (the connection stays open).
 *
 * <p>Concurrent {@code send()} calls interleave whole messages in the order they reach the loop, never
 * fragments.
 */
final class SendOperation extends Mono<Void> {

    /** What a send needs from the engine. Called on the event loop unless said otherwise. */
    interface Outbound {
        /** Whether the caller runs on the event loop (any thread). */
        boolean inEventLoop();

        /** Runs {@code task} on the event loop: now when already there, else queued (any thread). */
        void execute(Runnable task);

        /** Queues {@code task} on the event loop, behind the tasks already queued, even from the loop. */
        void executeLater(Runnable task);

        /** Registers a sender to hear of writability and closure; returns why it cannot send, or {@code null}. */
        Throwable register(Sender sender);

        /** Forgets a sender. */
        void unregister(Sender sender);

        /** The bytes that may still be queued for the socket before it is unwritable; 0 when unwritable. */
        long bytesBeforeUnwritable();

        /** Writes one message; {@code false} when the connection no longer takes data. */
        boolean send(Message message);

        /** Calls {@code callback} with whether everything written so far reached the socket. */
        void whenWritten(Consumer<Boolean> callback);

        /** The closing details so far. */
        ConnectionClosedException closeDetailsNow();
    }

    private final Outbound outbound;
    private final Publisher<? extends Message> messages;
    private final int prefetch;

    SendOperation(Outbound outbound, Publisher<? extends Message> messages, int prefetch) {
        this.outbound = outbound;
        this.messages = messages;
        this.prefetch = prefetch;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> actual) {
        messages.subscribe(new Sender(outbound, actual, prefetch));
    }

    /**
     * Subscribes upstream, subscription downstream. Its state is confined to the event loop; signals from
     * another thread hop onto it (in order, since the loop's queue is FIFO).
     */
    static final class Sender implements CoreSubscriber<Message>, Subscription {
        private static final AtomicIntegerFieldUpdater<Sender> QUEUED_SIGNALS =
                AtomicIntegerFieldUpdater.newUpdater(Sender.class, "queuedSignals");

        /** A frame header's largest size, counted with each message. */
        private static final int MAX_HEADER = WireFormat.MAX_HEADER_LENGTH;

        private final Outbound outbound;
        private final CoreSubscriber<? super Void> actual;
        private final int prefetch;
        private Subscription upstream;
        /** Messages requested and not received yet (set once off the loop, in onSubscribe; else on the loop). */
        private long outstanding;
        /** A decaying maximum of the sizes of the messages written (0 before the first). */
        private long recentSize;

        private boolean done;
        /** The connection stopped taking data: the outcome is the closure's. */
        private boolean awaitingClose;

        private volatile boolean cancelled;
        /** Signals queued for the loop and not run yet (incremented by the publisher's thread, then the loop). */
        private volatile int queuedSignals;

        Sender(Outbound outbound, CoreSubscriber<? super Void> actual, int prefetch) {
            this.outbound = outbound;
            this.actual = actual;
            this.prefetch = prefetch;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (!Operators.validate(upstream, s)) {
                return;
            }
            upstream = s;
            actual.onSubscribe(this);
            // Set before the registration is queued, so the loop sees it (the queue is a happens-before edge).
            outstanding = 1;
            outbound.execute(() -> {
                if (cancelled || done) {
                    return;
                }
                Throwable closed = outbound.register(this);
                if (closed != null) {
                    upstream.cancel();
                    finish(closed);
                }
            });
            // The first message is requested at once, on the subscribing thread, not after a hop to the loop:
            // a publisher on its own clock would otherwise emit before any demand arrived. Its write is queued
            // behind the registration above.
            s.request(1);
        }

        @Override
        public void onNext(Message message) {
            // On the loop (an echo of receive(), say) the write is a direct call: no task object, and no
            // megamorphic Runnable.run() between the publisher and the protocol.
            if (queuedSignals == 0 && outbound.inEventLoop()) {
                write(message);
            } else {
                signalLater(() -> write(message));
            }
        }

        @Override
        public void onError(Throwable t) {
            signal(() -> finish(t));
        }

        @Override
        public void onComplete() {
            signal(() -> {
                if (done || awaitingClose) {
                    return;
                }
                done = true;
                outbound.unregister(this);
                outbound.whenWritten(written -> {
                    if (cancelled) {
                        return;
                    }
                    ConnectionClosedException details = written ? null : outbound.closeDetailsNow();
                    // An OK closure means everything sent before our Close reached the peer.
                    if (details == null || details.isOk()) {
                        actual.onComplete();
                    } else {
                        actual.onError(details);
                    }
                });
            });
        }

        @Override
        public void request(long n) {
            // Mono<Void>: nothing to deliver; demand is irrelevant.
        }

        @Override
        public void cancel() {
            cancelled = true;
            Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            outbound.execute(() -> {
                done = true;
                outbound.unregister(this);
            });
        }

        /**
         * Runs a signal on the loop in publisher order. A publisher may emit from another thread first and then
         * from the loop (a request made on the loop makes a synchronous source emit there): a signal on the
         * loop runs inline only when no earlier one is still queued, else it queues behind them.
         */
        private void signal(Runnable task) {
            if (queuedSignals == 0 && outbound.inEventLoop()) {
                task.run();
            } else {
                signalLater(task);
            }
        }

        private void signalLater(Runnable task) {
            QUEUED_SIGNALS.incrementAndGet(this);
            outbound.executeLater(() -> {
                QUEUED_SIGNALS.decrementAndGet(this);
                task.run();
            });
        }

        /** The channel became writable again (on the loop). */
        void onWritable() {
            requestMore();
        }

        /**
         * The connection closed (on the loop): completes after an OK closure (the publisher is cancelled,
         * as a WebFlux echo handler expects when the peer closes), errors with the details otherwise.
         */
        void connectionClosed(ConnectionClosedException details) {
            if (done) {
                return;
            }
            done = true;
            if (!awaitingClose) {
                upstream.cancel();
            }
            outbound.unregister(this);
            if (cancelled) {
                return;
            }
            if (details.isOk()) {
                actual.onComplete();
            } else {
                actual.onError(details);
            }
        }

        private void write(Message message) {
            if (outstanding > 0) {
                outstanding--;
            }
            if (done || cancelled || awaitingClose) {
                return;
            }
            if (!outbound.send(message)) {
                // Closing: nothing more can be sent. The closure decides the outcome (connectionClosed).
                awaitingClose = true;
                upstream.cancel();
                return;
            }
            long size = message.length() + MAX_HEADER;
            recentSize = Math.max(size, recentSize - (recentSize >>> 3));
            requestMore();
        }

        private void requestMore() {
            if (done || cancelled || awaitingClose) {
                return;
            }
            long room = outbound.bytesBeforeUnwritable();
            if (room <= 0) {
                return;
            }
            long target = recentSize == 0 ? 1 : Math.max(1, Math.min(prefetch, room / recentSize));
            // Replenish in batches (once three quarters of the target were written), as limitRate does.
            if (outstanding > target / 4) {
                return;
            }
            long wanted = target - outstanding;
            if (wanted > 0) {
                outstanding += wanted;
                upstream.request(wanted);
            }
        }

        private void finish(Throwable error) {
            if (done) {
                return;
            }
            done = true;
            outbound.unregister(this);
            if (!cancelled) {
                actual.onError(error);
            }
        }
    }
}
