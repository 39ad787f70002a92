package dev.wsflux.core;

import dev.wsflux.protocol.ConnectionClosedException;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * The {@code Mono} returned by {@link WebSocketSession#send(Publisher)}: subscribes to the messages and
 * writes them, requesting one message at a time and only while the channel is writable, that is while the
 * bytes queued for the socket stay under {@code writeLimit.high} (the channel's write-buffer water marks
 * are set from {@code writeLimit}). When the buffer drains below {@code writeLimit.low}, the channel
 * becomes writable again and requesting resumes.
 *
 * <p>Messages are written whole: each one becomes one final frame on the event loop, so concurrent
 * {@code send()} calls interleave whole messages in the order they reach the loop, never fragments.
 * Completes once the last message was written to the socket.
 */
final class SendOperation extends Mono<Void> {
    private final SessionEngine engine;
    private final Publisher<? extends Message> messages;

    SendOperation(SessionEngine engine, Publisher<? extends Message> messages) {
        this.engine = engine;
        this.messages = messages;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> actual) {
        messages.subscribe(new Sender(engine, actual));
    }

    /**
     * Subscribes upstream, subscription downstream. Its state is confined to the event loop; signals from
     * another thread hop onto it (in order, since the loop's queue is FIFO).
     */
    static final class Sender implements CoreSubscriber<Message>, Subscription {
        private final SessionEngine engine;
        private final CoreSubscriber<? super Void> actual;
        private Subscription upstream;
        private boolean requestedOne;
        private boolean done;
        private volatile boolean cancelled;

        Sender(SessionEngine engine, CoreSubscriber<? super Void> actual) {
            this.engine = engine;
            this.actual = actual;
        }

        @Override
        public reactor.util.context.Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (!Operators.validate(upstream, s)) {
                return;
            }
            upstream = s;
            actual.onSubscribe(this);
            engine.execute(() -> {
                if (cancelled || done) {
                    return;
                }
                Throwable closed = engine.register(this);
                if (closed != null) {
                    finish(closed);
                    upstream.cancel();
                } else {
                    requestMore();
                }
            });
        }

        @Override
        public void onNext(Message message) {
            // On the loop (an echo of receive(), say) the write is a direct call: no task object, and no
            // megamorphic Runnable.run() between the publisher and the protocol.
            if (engine.inEventLoop()) {
                write(message);
            } else {
                engine.execute(() -> write(message));
            }
        }

        @Override
        public void onError(Throwable t) {
            engine.execute(() -> finish(t));
        }

        @Override
        public void onComplete() {
            engine.execute(() -> {
                if (done) {
                    return;
                }
                done = true;
                engine.unregister(this);
                engine.whenWritten(written -> {
                    if (written) {
                        actual.onComplete();
                    } else {
                        actual.onError(engine.notOpenException());
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
            engine.execute(() -> {
                done = true;
                engine.unregister(this);
            });
        }

        /** The channel became writable again (on the loop). */
        void onWritable() {
            requestMore();
        }

        /**
         * The connection closed before the publisher finished (on the loop). Nothing is in hand (messages are
         * written as they arrive), so after an OK closure the send completes, as a WebFlux echo handler
         * ({@code session.send(session.receive().map(...))}) expects when the peer closes; after an error
         * closure it errors with the closing details.
         */
        void connectionClosed(ConnectionClosedException cause) {
            if (done) {
                return;
            }
            upstream.cancel();
            if (cause.isOk()) {
                done = true;
                engine.unregister(this);
                if (!cancelled) {
                    actual.onComplete();
                }
            } else {
                finish(cause);
            }
        }

        private void write(Message message) {
            requestedOne = false;
            if (done || cancelled) {
                return;
            }
            Throwable failure = engine.sendMessage(message);
            if (failure != null) {
                upstream.cancel();
                finish(failure);
                return;
            }
            requestMore();
        }

        private void requestMore() {
            if (!requestedOne && !done && !cancelled && engine.isWritable()) {
                requestedOne = true;
                upstream.request(1);
            }
        }

        private void finish(Throwable error) {
            if (done) {
                return;
            }
            done = true;
            engine.unregister(this);
            if (!cancelled) {
                actual.onError(error);
            }
        }
    }
}
