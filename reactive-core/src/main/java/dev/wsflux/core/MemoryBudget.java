package dev.wsflux.core;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A memory budget shared by many connections: the bytes that all their inbound queues, partly received
 * messages, unparsed input and outbound buffers hold together. Each connection's own bounds
 * ({@code maxQueue}, {@code maxQueueBytes}, {@code writeLimit}, {@code maxSize}) keep one connection small;
 * the budget keeps ten thousand of them from adding up to more than the heap.
 *
 * <p>How it acts, after Envoy's overload manager (graded actions at thresholds) and uWebSockets'
 * {@code maxBackpressure}:
 *
 * <ul>
 *   <li>Below the <b>pressure mark</b> ({@linkplain #pressureMark() three quarters} of the limit), nothing
 *       happens.
 *   <li>Between the pressure mark and the limit, the <b>largest holders pause first</b>: a connection that
 *       holds more than the average of the connections holding anything stops reading from its socket (its
 *       peer's TCP window closes), while smaller ones go on.
 *   <li>At the limit (<b>exceeded</b>), every connection stops reading, and servers answer new opening
 *       handshakes with {@code 503 Service Unavailable} and {@code Retry-After}.
 *   <li>When usage falls back below the pressure mark (consumers took their messages, buffers were
 *       written), every paused connection resumes.
 * </ul>
 *
 * <p>The bound: usage stays under the limit plus one socket read per connection (64 KiB with Netty's default
 * receive buffer). A connection decides after each read whether to read again; a read already in memory
 * when the budget says stop is kept undecoded, and counted.
 *
 * <p>Control frames wait with the data while a connection is paused (as with {@code maxQueue}): a pause
 * that lasts longer than the peer's keepalive timeout lets the peer close the connection.
 *
 * <p>The default, {@link #processDefault()}, is one budget for the whole process: a quarter of the maximum
 * heap ({@code Runtime.maxMemory() / 4}). A quarter leaves room for what the accounting does not see (a
 * received message's {@code Message} object, the application's own copies, and the rounding of large
 * arrays by the garbage collector: under G1, an array of half a region or more takes whole regions).
 *
 * <p>Thread-safe. The counters are updated by the connections' event loops in batches (once per read, per
 * drained batch, per written batch), not per byte.
 */
public final class MemoryBudget {

    /** The divisor of the maximum heap for the process-wide default: a quarter. */
    static final int HEAP_FRACTION = 4;

    private static final MemoryBudget PROCESS_DEFAULT =
            new MemoryBudget(Math.max(1, Runtime.getRuntime().maxMemory() / HEAP_FRACTION));

    private final long limit;
    private final long pressureMark;
    private final AtomicLong used = new AtomicLong();
    private final AtomicInteger holders = new AtomicInteger();
    private final AtomicInteger paused = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();
    private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();

    private MemoryBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("memory budget must be at least 1 byte: " + limit);
        }
        this.limit = limit;
        this.pressureMark = limit - limit / 4;
    }

    /**
     * A budget of {@code limitBytes}, for the connections given options with it.
     *
     * @param limitBytes the limit in bytes, at least 1
     * @return a new budget, with nothing used
     */
    public static MemoryBudget of(long limitBytes) {
        return new MemoryBudget(limitBytes);
    }

    /**
     * The budget every connection uses unless its options name another: one per process (class loader), a
     * quarter of the maximum heap.
     *
     * @return the shared default budget
     */
    public static MemoryBudget processDefault() {
        return PROCESS_DEFAULT;
    }

    /** The limit in bytes. */
    public long limit() {
        return limit;
    }

    /** Three quarters of the limit: above it, the largest holders pause. */
    public long pressureMark() {
        return pressureMark;
    }

    /** The bytes held now by the connections that use this budget. */
    public long used() {
        return used.get();
    }

    /** Whether usage is at or above the limit: every connection pauses and servers refuse new handshakes. */
    public boolean isExceeded() {
        return used.get() >= limit;
    }

    /** Whether usage is at or above the pressure mark. */
    public boolean isUnderPressure() {
        return used.get() >= pressureMark;
    }

    /** The number of connections paused by this budget now. */
    public int pausedConnections() {
        return paused.get();
    }

    /** The number of opening handshakes refused with 503 because the budget was exceeded, since it was made. */
    public long rejectedHandshakes() {
        return rejected.sum();
    }

    // ------------------------------------------------------------------ for connections (the engine)

    /**
     * Records that one connection's holding changed from {@code before} to {@code after} bytes. Wakes the
     * paused connections when usage falls below the pressure mark.
     *
     * @param before the bytes the connection held at its previous report (0 at its first)
     * @param after the bytes it holds now (0 at its last report, when it closes)
     */
    public void update(long before, long after) {
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("negative holding: " + before + " -> " + after);
        }
        if (before == after) {
            return;
        }
        if (before == 0) {
            holders.incrementAndGet();
        } else if (after == 0) {
            holders.decrementAndGet();
        }
        long now = used.addAndGet(after - before);
        if (after < before && now < pressureMark) {
            wakeWaiters();
        }
    }

    /**
     * Whether a connection that holds {@code held} bytes should stop reading now: at the limit every
     * connection should; under pressure, those that hold more than the average holding.
     *
     * @param held the bytes the asking connection holds
     * @return {@code true} to pause reading
     */
    public boolean shouldPause(long held) {
        long now = used.get();
        if (now < pressureMark) {
            return false;
        }
        if (now >= limit) {
            return true;
        }
        int count = Math.max(1, holders.get());
        // held > now / count, without the division's rounding
        return held > 0 && held * count > now;
    }

    /**
     * Runs {@code resume} once usage is below the pressure mark: at once (on this thread) when it already
     * is, else from the {@link #update} that brings it there (on that thread). A connection paused by the
     * budget registers once and counts in {@link #pausedConnections()} until it is resumed.
     *
     * @param resume what to run; it must be quick and must not throw (it typically hops to an event loop)
     */
    public void whenBelowPressure(Runnable resume) {
        Objects.requireNonNull(resume, "resume");
        paused.incrementAndGet();
        waiters.add(resume);
        // Usage may have dropped between the caller's check and the registration: nobody would wake it.
        if (used.get() < pressureMark) {
            wakeWaiters();
        }
    }

    /** Counts an opening handshake refused with 503 because the budget was exceeded. */
    public void recordRejectedHandshake() {
        rejected.increment();
    }

    private void wakeWaiters() {
        Runnable waiter;
        while ((waiter = waiters.poll()) != null) {
            paused.decrementAndGet();
            waiter.run();
        }
    }

    @Override
    public String toString() {
        return "MemoryBudget[used " + used() + " of " + limit + " bytes, " + pausedConnections() + " paused]";
    }
}
