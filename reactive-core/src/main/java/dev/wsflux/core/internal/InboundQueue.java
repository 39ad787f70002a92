package dev.wsflux.core.internal;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
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
 * <p>The queue is <b>bounded by construction</b>: it never refuses a message, but it tells the engine how
 * many more messages and bytes it has room for ({@link #messageRoom()}, {@link #byteRoom()}), and the
 * engine decodes no frame beyond that room (the protocol keeps the rest of a read undecoded, and the engine
 * stops reading the socket). The queue is full once it holds {@code maxQueueHigh} messages or
 * {@code maxQueueBytesHigh} payload bytes, and has room again once it is down to {@code maxQueueLow}
 * messages and {@code maxQueueBytesLow} bytes (water marks, so that reading is not toggled per message).
 * Since the last message decoded may be as large as {@code maxSize}, the queue holds fewer than
 * {@code maxQueueBytesHigh + maxSize} bytes.
 *
 * <p>It is one hand-written {@code Flux}, not an operator chain: one subscriber, exact demand, messages
 * in order. Cancelling drops the queued messages and every later one, and gives unlimited room, so that
 * Ping and Close frames are still read.
 *
 * <p>Strict delivery (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-7.1.7">RFC 6455
 * §7.1.7</a>, Autobahn 3.x/4.x/5.15/7.1.1): when the protocol holds a pending close, {@link #markClose()}
 * records how many queued messages precede it; once the subscriber took them,
 * {@link Owner#closeMarkerReached()} lets the engine send the Close.
 */
final class InboundQueue extends Flux<Message> implements org.reactivestreams.Subscription {

    /** The engine side of the queue. Called on the event loop. */
    interface Owner {
        /** Whether the caller runs on the event loop. */
        boolean inEventLoop();

        /** Runs {@code task} on the event loop, with the engine's error handling. */
        void execute(Runnable task);

        /** The queue delivered or dropped messages: it may have room again, and it holds fewer bytes. */
        void drained();

        /** The messages received before a pending close were delivered (or dropped by a cancel). */
        void closeMarkerReached();
    }

    private static final Logger LOG = Loggers.getLogger(InboundQueue.class);

    private final Owner owner;
    private final int high;
    private final int low;
    private final long bytesHigh;
    private final long bytesLow;
    // Made on the first message, so that an idle connection holds no deque (an empty one is 48 bytes).
    private ArrayDeque<Message> queue;
    private long queuedBytes;
    private boolean full;
    private CoreSubscriber<? super Message> subscriber;
    private boolean subscribed;
    private long requested;
    private boolean cancelled;
    private boolean done;
    private boolean terminalSent;
    private Throwable error;
    private boolean draining;
    private boolean missed;
    /** Messages still to deliver before the pending close; 0 when no close is pending. */
    private int beforeClose;

    InboundQueue(Owner owner, int high, int low, long bytesHigh, long bytesLow) {
        this.owner = owner;
        this.high = high;
        this.low = low;
        this.bytesHigh = bytesHigh;
        this.bytesLow = bytesLow;
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
            if (owner.inEventLoop()) {
                addDemand(n); // the common case (a subscriber requesting from onNext): no task object
            } else {
                owner.execute(() -> addDemand(n));
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
            full = false;
            if (beforeClose > 0) {
                beforeClose = 0;
                owner.closeMarkerReached();
            }
            owner.drained();
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
        if (queue.size() >= high || queuedBytes >= bytesHigh) {
            full = true;
        }
        drain();
    }

    /** How many more messages may be decoded now: 0 while full, unlimited once cancelled (on the loop). */
    int messageRoom() {
        if (cancelled || done) {
            return Integer.MAX_VALUE;
        }
        return full ? 0 : high - queued();
    }

    /** How many more payload bytes may be decoded now (the last message may go past them) (on the loop). */
    long byteRoom() {
        if (cancelled || done) {
            return Long.MAX_VALUE;
        }
        return full ? 0 : bytesHigh - queuedBytes;
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

    /** Whether the queue is full: nothing more is decoded until it is down to its low marks (on the loop). */
    boolean isFull() {
        return full;
    }

    /** Whether the subscriber cancelled (on the loop). */
    boolean isCancelled() {
        return cancelled;
    }

    private void drain() {
        if (draining) {
            missed = true;
            return;
        }
        draining = true;
        boolean delivered = false;
        try {
            do {
                missed = false;
                delivered |= drainOnce();
            } while (missed);
        } finally {
            draining = false;
        }
        if (full && queued() <= low && queuedBytes <= bytesLow) {
            full = false;
            delivered = true;
        }
        if (delivered) {
            owner.drained();
        }
    }

    /** Delivers what demand allows; returns whether it delivered anything. */
    private boolean drainOnce() {
        CoreSubscriber<? super Message> actual = subscriber;
        boolean delivered = false;
        if (actual != null) {
            while (requested > 0 && queued() > 0) {
                Message message = queue.poll();
                queuedBytes -= message.length();
                delivered = true;
                if (requested != Long.MAX_VALUE) {
                    requested--;
                }
                actual.onNext(message);
                if (beforeClose > 0 && --beforeClose == 0) {
                    owner.closeMarkerReached();
                }
                if (cancelled) {
                    return true;
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
        return delivered;
    }

    private int queued() {
        return queue == null ? 0 : queue.size();
    }

    private void run(Runnable task) {
        if (owner.inEventLoop()) {
            task.run();
        } else {
            owner.execute(task);
        }
    }
}
