package dev.wsflux.client;

import dev.wsflux.protocol.http11.InvalidStatusException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.net.ssl.SSLHandshakeException;

/**
 * When and how fast {@link WebSocketClient#sessions(java.net.URI)} reconnects: the backoff of Python
 * {@code websockets} and the predicate that tells a passing failure from a permanent one. Immutable.
 *
 * <p>After a failed attempt the client waits a random delay in {@code [0, initialDelay)} (5 s: so that
 * clients dropped together by a restarting server do not all come back at the same instant), then
 * {@code minDelay} (3.1 s), growing by {@code factor} (1.618, the golden ratio) per attempt up to
 * {@code maxDelay} (90 s). A successful connection resets the sequence. When an open connection is lost,
 * the client reconnects at once; the delays apply to attempts that fail.
 *
 * <pre>
 * attempt fails:  0–5 s, 3.1, 5.0, 8.1, 13.1, 21.2, 34.4, 55.6, 90.0 (89.99), 90, 90 …
 * </pre>
 *
 * @param initialDelay the upper bound of the random first delay
 * @param minDelay the second delay, the start of the geometric growth
 * @param maxDelay the largest delay
 * @param factor the growth per failed attempt (&gt; 1)
 * @param retryIf which failures are worth another attempt ({@link #isRetryable(Throwable)} by default);
 *     any other failure ends the reconnecting {@code Flux} with that error
 */
public record ReconnectOptions(
        Duration initialDelay, Duration minDelay, Duration maxDelay, double factor, Predicate<Throwable> retryIf) {

    /** 5 s, as in {@code websockets}' {@code BACKOFF_INITIAL_DELAY}. */
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(5);
    /** 3.1 s, as in {@code websockets}' {@code BACKOFF_MIN_DELAY}. */
    public static final Duration DEFAULT_MIN_DELAY = Duration.ofMillis(3100);
    /** 90 s, as in {@code websockets}' {@code BACKOFF_MAX_DELAY}. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(90);
    /** 1.618, the golden ratio, as in {@code websockets}' {@code BACKOFF_FACTOR}. */
    public static final double DEFAULT_FACTOR = 1.618;

    /** HTTP statuses of a server or gateway that is briefly unavailable: worth another attempt. */
    private static final Set<Integer> RETRYABLE_STATUSES = Set.of(500, 502, 503, 504);

    private static final ReconnectOptions DEFAULTS = new ReconnectOptions(
            DEFAULT_INITIAL_DELAY, DEFAULT_MIN_DELAY, DEFAULT_MAX_DELAY, DEFAULT_FACTOR, ReconnectOptions::isRetryable);

    /** Validates the options. */
    public ReconnectOptions {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(minDelay, "minDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(retryIf, "retryIf");
        if (initialDelay.isNegative() || minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initialDelay, 0 <= minDelay <= maxDelay: "
                    + initialDelay + ", " + minDelay + ", " + maxDelay);
        }
        if (!(factor > 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("backoff factor must be a finite number > 1: " + factor);
        }
    }

    /** The defaults of {@code websockets}. */
    public static ReconnectOptions defaults() {
        return DEFAULTS;
    }

    /** These options with another backoff. */
    public ReconnectOptions withBackoff(Duration initialDelay, Duration minDelay, Duration maxDelay, double factor) {
        return new ReconnectOptions(initialDelay, minDelay, maxDelay, factor, retryIf);
    }

    /** These options with another retry predicate, e.g. {@code defaults().withRetryIf(e -> true)}. */
    public ReconnectOptions withRetryIf(Predicate<Throwable> retryIf) {
        return new ReconnectOptions(initialDelay, minDelay, maxDelay, factor, retryIf);
    }

    /**
     * The default retry predicate, after {@code websockets}' {@code process_exception}: true for I/O
     * errors, in the chain of causes (refused, reset, unknown host: the causes of a {@link
     * ConnectFailedException}; end of stream during the handshake), timeouts, and an HTTP
     * 500, 502, 503 or 504 from the server or the proxy; false for everything else, notably any 4xx
     * (the request itself is wrong: retrying cannot help) and TLS handshake failures (a certificate
     * that does not verify will not start verifying).
     */
    public static boolean isRetryable(Throwable error) {
        if (error instanceof InvalidStatusException status) {
            return RETRYABLE_STATUSES.contains(status.status());
        }
        if (error instanceof ProxyException proxy && proxy.status() > 0) {
            return RETRYABLE_STATUSES.contains(proxy.status());
        }
        if (error instanceof IllegalArgumentException || error instanceof IllegalStateException) {
            return false; // a configuration or programming error: the next attempt would fail the same way
        }
        boolean transientError = false;
        for (Throwable cause = error; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SSLHandshakeException) {
                return false;
            }
            transientError |= cause instanceof IOException
                    || cause instanceof TimeoutException
                    || cause instanceof OpenTimeoutException;
        }
        return transientError;
    }

    /** A fresh delay sequence. */
    Backoff newBackoff(Random random) {
        return new Backoff(this, random);
    }

    /** The delays before successive attempts after failures. Not thread-safe. */
    static final class Backoff {
        private final ReconnectOptions options;
        private final Random random;
        private int attempts;
        private double nextSeconds;

        private Backoff(ReconnectOptions options, Random random) {
            this.options = options;
            this.random = random;
        }

        /** The delay before the next attempt. */
        Duration next() {
            attempts++;
            if (attempts == 1) {
                nextSeconds = seconds(options.minDelay);
                return Duration.ofNanos((long) (random.nextDouble() * options.initialDelay.toNanos()));
            }
            double max = seconds(options.maxDelay);
            if (nextSeconds >= max) {
                return options.maxDelay;
            }
            Duration delay = Duration.ofNanos(Math.round(nextSeconds * 1e9));
            nextSeconds *= options.factor;
            return delay;
        }

        /** How many delays were handed out since the last reset. */
        int attempts() {
            return attempts;
        }

        private static double seconds(Duration duration) {
            return duration.toNanos() / 1e9;
        }
    }
}
