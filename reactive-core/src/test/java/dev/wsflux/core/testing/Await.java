package dev.wsflux.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that another thread makes true (an event loop, a peer process): checks it every
 * 10 ms and fails after a deadline. A wait on a condition, not on time passing: a test never sleeps to let
 * something happen, it waits until it has.
 */
public final class Await {
    private Await() {}

    /**
     * Returns once {@code condition} holds; fails with {@code what} after {@code timeout}.
     *
     * @param what the condition, for the failure message
     * @param timeout the longest wait
     * @param condition checked at once, then every 10 ms
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
