package dev.wsflux.core;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The bounded queue between the protocol and {@link WebSocketSession#receive()}, and the {@code Flux}
 * that drains it. Confined to the connection's event loop: every method may be called from any thread
 * and hops onto the loop first; signals are delivered on the loop.
 *
 * <p>Flow control follows {@code maxQueue}, a pair of water marks counted in messages: when more than
 * {@code high} messages wait, {@link Owner#pauseReading()} stops reading the socket (the peer's TCP
 * window then closes); when at most {@code low} wait, {@link Owner#resumeReading()} resumes it. Only
 * this class decides when reading pauses, so there is exactly one owner of the channel's auto-read.
 *
 * <p>It is one hand-written {@code Flux}, not an operator chain: one subscriber, exact demand, messages
 * in order. Cancelling drops the queued messages and every later one, and resumes reading so that Ping
 * and Close frames are still processed.
 *
 * <p>Strict delivery (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-7.1.7">RFC 6455
 * §7.1.7</a>, Autobahn 3.x/4.x/5.15/7.1.1): when the protocol holds a pending close, {@link #markClose()}
 * records how many queued messages precede it; once the subscriber took them,
 * {@link Owner#closeMarkerReached()} lets the engine send the Close.
 */
final class InboundQueue extends Flux<Message> implements org.reactivestreams.Subscription {

    /** The engine side of the queue. Called on the event loop. */
    interface Owner {
        /** More than {@code high} messages wait: stop reading the socket. */
        void pauseReading();

        /** At most {@code low} messages wait: read again. */
        void resumeReading();

        /** The messages received before a pending close were delivered (or dropped by a cancel). */
        void closeMarkerReached();
    }

    private static final Logger LOG = Loggers.getLogger(InboundQueue.class);

    private final EventExecutor loop;
    private final Owner owner;
    private final int high;
    private final int low;
    // Starts tiny (an idle connection keeps 2 slots, not 17) and grows with the first burst.
    // Made on the first message: an idle connection keeps no deque (measured: 48 B each of 10 k idle ones).
    private ArrayDeque<Message> queue;
    private long queuedBytes;
    private CoreSubscriber<? super Message> subscriber;
    private boolean subscribed;
    private long requested;
    private boolean cancelled;
    private boolean paused;
    private boolean done;
    private boolean terminalSent;
    private Throwable error;
    private boolean draining;
    private boolean missed;
    /** Messages still to deliver before the pending close; 0 when no close is pending. */
    private int beforeClose;

    InboundQueue(EventExecutor loop, Owner owner, int high, int low) {
        this.loop = loop;
        this.owner = owner;
        this.high = high;
        this.low = low;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Message> actual) {
        run(() -> {
            if (subscribed) {
                Operators.error(actual, new IllegalStateException("receive() allows only one subscriber"));
                return;
            }
            subscribed = true;
            subscriber = actual;
            actual.onSubscribe(this);
            drain();
        });
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n)) {
            if (loop.inEventLoop()) {
                addDemand(n); // the common case (a subscriber requesting from onNext): no task object
            } else {
                loop.execute(() -> addDemand(n));
            }
        }
    }

    private void addDemand(long n) {
        requested = Operators.addCap(requested, n);
        drain();
    }

    @Override
    public void cancel() {
        run(() -> {
            if (cancelled) {
                return;
            }
            cancelled = true;
            subscriber = null;
            if (queued() > 0) {
                LOG.debug("receive() cancelled: dropping {} queued messages", queue.size());
            }
            queue = null;
            queuedBytes = 0;
            if (paused) {
                paused = false;
                owner.resumeReading();
            }
            if (beforeClose > 0) {
                beforeClose = 0;
                owner.closeMarkerReached();
            }
        });
    }

    /** Queues a received message (on the loop). Dropped after a cancel or once terminated. */
    void offer(Message message) {
        if (cancelled || done) {
            return;
        }
        if (queue == null) {
            queue = new ArrayDeque<>(1);
        }
        queue.offer(message);
        queuedBytes += message.length();
        if (!paused && queue.size() > high) {
            paused = true;
            owner.pauseReading();
        }
        drain();
    }

    /**
     * Records that a close is pending behind the queued messages (on the loop).
     *
     * @return {@code true} when nothing precedes it, so that the close can be sent at once
     */
    boolean markClose() {
        if (cancelled || queued() == 0) {
            return true;
        }
        beforeClose = queue.size();
        return false;
    }

    /** Ends the stream after the queued messages: completes, or errors with {@code failure} (on the loop). */
    void terminate(Throwable failure) {
        if (done) {
            return;
        }
        done = true;
        error = failure;
        drain();
    }

    /** The number of queued messages (on the loop). */
    int size() {
        return queued();
    }

    /** The payload bytes of the queued messages (on the loop). */
    long queuedBytes() {
        return queuedBytes;
    }

    /** Whether reading is paused because the queue is above its high water mark (on the loop). */
    boolean isPaused() {
        return paused;
    }

    private void drain() {
        if (draining) {
            missed = true;
            return;
        }
        draining = true;
        try {
            do {
                missed = false;
                drainOnce();
            } while (missed);
        } finally {
            draining = false;
        }
    }

    private void drainOnce() {
        CoreSubscriber<? super Message> actual = subscriber;
        if (actual != null) {
            while (requested > 0 && queued() > 0) {
                Message message = queue.poll();
                queuedBytes -= message.length();
                if (requested != Long.MAX_VALUE) {
                    requested--;
                }
                actual.onNext(message);
                if (beforeClose > 0 && --beforeClose == 0) {
                    owner.closeMarkerReached();
                }
                if (cancelled) {
                    return;
                }
            }
            if (done && queued() == 0 && !terminalSent) {
                terminalSent = true;
                subscriber = null;
                if (error != null) {
                    actual.onError(error);
                } else {
                    actual.onComplete();
                }
            }
        }
        if (paused && queued() <= low) {
            paused = false;
            owner.resumeReading();
        }
    }

    private int queued() {
        return queue == null ? 0 : queue.size();
    }

    private void run(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }
}
