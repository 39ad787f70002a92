package dev.wsflux.core;

import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The limits and timers of a session, with the defaults in the README's table (docs/ARCHITECTURE.md §5 for the memory they bound). Immutable; build with
 * {@link #builder()}. A {@code Duration.ZERO} timeout or interval disables that timer; a size of 0
 * disables that limit.
 *
 * @param maxSize the largest message accepted, in bytes, after decompression (default 1 MiB, as in
 *     Python websockets: large enough for typical messages, small enough that a peer cannot exhaust
 *     memory); 0 disables the limit
 * @param maxFrameSize the largest frame accepted, in bytes; 0 means "as large as {@code maxSize}"
 * @param maxQueueHigh the number of received messages waiting for demand above which socket reads
 *     pause (default 16)
 * @param maxQueueLow the number at or below which reads resume (default 4)
 * @param maxQueueBytesHigh the payload bytes of the received messages waiting for demand at or above which
 *     no more messages are decoded and socket reads pause (default 1 MiB: 16 messages of 64 KiB, or one
 *     message of the default {@code maxSize})
 * @param maxQueueBytesLow the bytes at or below which decoding and reads resume (default 256 KiB)
 * @param writeLimitHigh the outbound bytes buffered for the socket above which {@code send()} stops
 *     requesting messages (default 32 KiB)
 * @param writeLimitLow the bytes at or below which it requests again (default 8 KiB)
 * @param sendPrefetch how many messages {@code send()} requests from its publisher ahead of writing them
 *     (default 32), replenished as in {@code limitRate} once three quarters were written, and only while
 *     the bytes buffered for the socket stay under {@code writeLimitHigh}; fewer when the messages are large
 *     (see {@link WebSocketSession#send})
 * @param openTimeout the longest the opening handshake may take (default 10 s)
 * @param pingInterval how often a keepalive Ping is sent (default 20 s)
 * @param pingTimeout how long to wait for its Pong before failing with 1011 (default 20 s)
 * @param closeTimeout how long to wait for the closing handshake before aborting TCP (default 10 s)
 * @param timer the scheduler the timers run on (default {@link Schedulers#parallel()}); tests pass a
 *     {@code VirtualTimeScheduler}
 * @param memoryBudget the budget shared with other connections (default {@link
 *     MemoryBudget#processDefault()})
 *
 * <h2>Memory of one connection</h2>
 *
 * Inbound, by construction (a frame is decoded only while the queue has room; what a read brought beyond
 * that waits undecoded, then in the socket once reading pauses):
 *
 * <pre>
 *   queued messages      &lt; min(maxQueueHigh × maxSize, maxQueueBytesHigh + maxSize)
 * + message in progress  &lt; maxSize                    (fragments joined so far)
 * + frame in progress    &le; maxFrameSize               (the wire bytes of one frame)
 * + undecoded input      &le; one socket read            (64 KiB with Netty's default; never more than 1 MiB)
 * + permessage-deflate   &le; 300 KiB native            (only with 15-bit windows; 8 KiB heap with 12-bit ones)
 * </pre>
 *
 * With the defaults and 64 KiB messages a reader that never reads holds about 1 MiB; with 1 MiB messages
 * about 2 MiB of payload. Outbound: at most {@code writeLimitHigh} bytes buffered for the socket, plus the
 * messages {@code send()} requested ahead ({@code sendPrefetch}, fewer for large messages). The heap cost of
 * a queued message is its payload plus about 100 bytes of objects; the garbage collector may round large
 * arrays up (G1 allocates arrays of half a region or more in whole regions).
 */
public record SessionOptions(
        long maxSize,
        long maxFrameSize,
        int maxQueueHigh,
        int maxQueueLow,
        long maxQueueBytesHigh,
        long maxQueueBytesLow,
        int writeLimitHigh,
        int writeLimitLow,
        int sendPrefetch,
        Duration openTimeout,
        Duration pingInterval,
        Duration pingTimeout,
        Duration closeTimeout,
        Scheduler timer,
        MemoryBudget memoryBudget) {

    /** 1 MiB. */
    public static final long DEFAULT_MAX_SIZE = 1 << 20;
    /** 16 messages. */
    public static final int DEFAULT_MAX_QUEUE_HIGH = 16;
    /** 4 messages. */
    public static final int DEFAULT_MAX_QUEUE_LOW = 4;
    /** 1 MiB. */
    public static final long DEFAULT_MAX_QUEUE_BYTES_HIGH = 1 << 20;
    /** 256 KiB. */
    public static final long DEFAULT_MAX_QUEUE_BYTES_LOW = 256 * 1024;
    /** 32 messages. */
    public static final int DEFAULT_SEND_PREFETCH = 32;
    /** 32 KiB. */
    public static final int DEFAULT_WRITE_LIMIT_HIGH = 32 * 1024;
    /** 8 KiB. */
    public static final int DEFAULT_WRITE_LIMIT_LOW = 8 * 1024;
    /** 10 s. */
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(10);
    /** 20 s. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);
    /** 20 s. */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(20);
    /** 10 s. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final SessionOptions DEFAULTS = new Builder().build();

    /** Validates the options. */
    public SessionOptions {
        if (maxSize < 0 || maxFrameSize < 0) {
            throw new IllegalArgumentException(
                    "sizes must be >= 0: maxSize=" + maxSize + ", maxFrameSize=" + maxFrameSize);
        }
        if (maxQueueHigh < 1 || maxQueueLow < 0 || maxQueueLow > maxQueueHigh) {
            throw new IllegalArgumentException(
                    "maxQueue needs 0 <= low <= high and high >= 1: " + maxQueueHigh + "/" + maxQueueLow);
        }
        if (maxQueueBytesHigh < 1 || maxQueueBytesLow < 0 || maxQueueBytesLow > maxQueueBytesHigh) {
            throw new IllegalArgumentException("maxQueueBytes needs 0 <= low <= high and high >= 1: "
                    + maxQueueBytesHigh + "/" + maxQueueBytesLow);
        }
        if (sendPrefetch < 1) {
            throw new IllegalArgumentException("sendPrefetch must be at least 1: " + sendPrefetch);
        }
        if (writeLimitHigh < 1 || writeLimitLow < 0 || writeLimitLow > writeLimitHigh) {
            throw new IllegalArgumentException(
                    "writeLimit needs 0 <= low <= high and high >= 1: " + writeLimitHigh + "/" + writeLimitLow);
        }
        requireNonNegative(openTimeout, "openTimeout");
        requireNonNegative(pingInterval, "pingInterval");
        requireNonNegative(pingTimeout, "pingTimeout");
        requireNonNegative(closeTimeout, "closeTimeout");
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(memoryBudget, "memoryBudget");
    }

    /** The defaults. */
    public static SessionOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The effective frame limit: {@code maxFrameSize}, else {@code maxSize}, else 0 (none). */
    public long effectiveMaxFrameSize() {
        return maxFrameSize > 0 ? maxFrameSize : maxSize;
    }

    private static void requireNonNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + duration);
        }
    }

    /** Builds {@link SessionOptions}. Not thread-safe. */
    public static final class Builder {
        private long maxSize = DEFAULT_MAX_SIZE;
        private long maxFrameSize;
        private int maxQueueHigh = DEFAULT_MAX_QUEUE_HIGH;
        private int maxQueueLow = DEFAULT_MAX_QUEUE_LOW;
        private long maxQueueBytesHigh = DEFAULT_MAX_QUEUE_BYTES_HIGH;
        private long maxQueueBytesLow = DEFAULT_MAX_QUEUE_BYTES_LOW;
        private int sendPrefetch = DEFAULT_SEND_PREFETCH;
        private MemoryBudget memoryBudget = MemoryBudget.processDefault();
        private int writeLimitHigh = DEFAULT_WRITE_LIMIT_HIGH;
        private int writeLimitLow = DEFAULT_WRITE_LIMIT_LOW;
        private Duration openTimeout = DEFAULT_OPEN_TIMEOUT;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration pingTimeout = DEFAULT_PING_TIMEOUT;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private Scheduler timer = Schedulers.parallel();

        private Builder() {}

        private Builder(SessionOptions options) {
            maxSize = options.maxSize;
            maxFrameSize = options.maxFrameSize;
            maxQueueHigh = options.maxQueueHigh;
            maxQueueLow = options.maxQueueLow;
            maxQueueBytesHigh = options.maxQueueBytesHigh;
            maxQueueBytesLow = options.maxQueueBytesLow;
            sendPrefetch = options.sendPrefetch;
            memoryBudget = options.memoryBudget;
            writeLimitHigh = options.writeLimitHigh;
            writeLimitLow = options.writeLimitLow;
            openTimeout = options.openTimeout;
            pingInterval = options.pingInterval;
            pingTimeout = options.pingTimeout;
            closeTimeout = options.closeTimeout;
            timer = options.timer;
        }

        /** Largest message in bytes after decompression; 0 disables the limit. */
        public Builder maxSize(long bytes) {
            this.maxSize = bytes;
            return this;
        }

        /** Largest frame in bytes; 0 means as large as {@code maxSize}. */
        public Builder maxFrameSize(long bytes) {
            this.maxFrameSize = bytes;
            return this;
        }

        /** Inbound queue high and low water marks, in messages. */
        public Builder maxQueue(int high, int low) {
            this.maxQueueHigh = high;
            this.maxQueueLow = low;
            return this;
        }

        /** Inbound queue high and low water marks, in payload bytes (after decompression). */
        public Builder maxQueueBytes(long high, long low) {
            this.maxQueueBytesHigh = high;
            this.maxQueueBytesLow = low;
            return this;
        }

        /** How many messages {@code send()} requests ahead of writing them (at least 1). */
        public Builder sendPrefetch(int messages) {
            this.sendPrefetch = messages;
            return this;
        }

        /** The memory budget shared with other connections. */
        public Builder memoryBudget(MemoryBudget budget) {
            this.memoryBudget = budget;
            return this;
        }

        /** Outbound buffer high and low water marks, in bytes. */
        public Builder writeLimit(int high, int low) {
            this.writeLimitHigh = high;
            this.writeLimitLow = low;
            return this;
        }

        /** Opening handshake timeout; {@code Duration.ZERO} disables it. */
        public Builder openTimeout(Duration timeout) {
            this.openTimeout = timeout;
            return this;
        }

        /** Keepalive Ping interval; {@code Duration.ZERO} disables keepalive. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval;
            return this;
        }

        /** How long to wait for a keepalive Pong; {@code Duration.ZERO} waits forever. */
        public Builder pingTimeout(Duration timeout) {
            this.pingTimeout = timeout;
            return this;
        }

        /** Closing handshake timeout; {@code Duration.ZERO} disables it. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /** The scheduler for timers (a {@code VirtualTimeScheduler} in tests). */
        public Builder timer(Scheduler scheduler) {
            this.timer = scheduler;
            return this;
        }

        /** Builds the options. */
        public SessionOptions build() {
            return new SessionOptions(
                    maxSize,
                    maxFrameSize,
                    maxQueueHigh,
                    maxQueueLow,
                    maxQueueBytesHigh,
                    maxQueueBytesLow,
                    writeLimitHigh,
                    writeLimitLow,
                    sendPrefetch,
                    openTimeout,
                    pingInterval,
                    pingTimeout,
                    closeTimeout,
                    timer,
                    memoryBudget);
        }
    }
}
