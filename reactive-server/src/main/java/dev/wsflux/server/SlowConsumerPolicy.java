package dev.wsflux.server;

/**
 * What {@link RunningServer#broadcast} does with a session whose outbound buffer is already at its
 * {@code writeLimit.high}: a broadcast never buffers without bound.
 */
public enum SlowConsumerPolicy {
    /** The session misses this message; it stays open. */
    SKIP,
    /** The session is closed with 1008 (policy violation). */
    CLOSE_POLICY_VIOLATION,
    /** The session is closed with 1013 (try again later). */
    CLOSE_TRY_AGAIN_LATER
}
