package dev.wsflux.core.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * The one-shot timers of one session: the opening handshake's ({@code openTimeout}), the closing
 * handshake's ({@code closeTimeout}, or a shorter wait after a keepalive timeout), and the grace a pending
 * Close gives the application to take the messages before it. Keepalive pings have their own shared ticker
 * ({@link KeepaliveTicker}).
 *
 * <p>Timers run on {@code options.timer()} (a {@code VirtualTimeScheduler} in tests) and their tasks hop
 * onto the connection's event loop through {@code loop}, which runs them with the engine's error handling
 * (an error aborts the connection, never the timer's thread). A timer that cannot be scheduled (its
 * scheduler was disposed) is treated as never firing. Confined to the event loop.
 */
final class SessionTimers {
    private final Scheduler timer;
    private final Executor loop;
    private Disposable open;
    private Disposable close;
    private Disposable grace;

    SessionTimers(Scheduler timer, Executor loop) {
        this.timer = timer;
        this.loop = loop;
    }

    /** Arms the opening handshake's timer, unless {@code timeout} is zero. */
    void startOpen(Duration timeout, Runnable onExpiry) {
        open = schedule(timeout, onExpiry);
    }

    /** Disarms the opening handshake's timer (the connection opened). */
    void cancelOpen() {
        open = cancel(open);
    }

    /** Arms the closing handshake's timer unless it is armed already or {@code timeout} is zero. */
    void startClose(Duration timeout, Runnable onExpiry) {
        if (close == null) {
            close = schedule(timeout, onExpiry);
        }
    }

    /** Whether the closing handshake's timer was armed. */
    boolean closeStarted() {
        return close != null;
    }

    /** Arms the grace of a pending Close, unless armed already. */
    void startGrace(Duration delay, Runnable onExpiry) {
        if (grace == null) {
            grace = schedule(delay, onExpiry);
        }
    }

    /** Disarms the grace of a pending Close. */
    void cancelGrace() {
        grace = cancel(grace);
    }

    /** Disarms every timer (the connection is closed). */
    void cancelAll() {
        open = cancel(open);
        close = cancel(close);
        grace = cancel(grace);
    }

    private Disposable schedule(Duration delay, Runnable task) {
        if (delay.isZero()) {
            return null;
        }
        try {
            return timer.schedule(() -> loop.execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private static Disposable cancel(Disposable disposable) {
        if (disposable != null) {
            disposable.dispose();
        }
        return null;
    }
}
