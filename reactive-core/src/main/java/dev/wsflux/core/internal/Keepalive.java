package dev.wsflux.core.internal;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.protocol.frames.Opcode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * Pings and their Pongs: keepalive pings every {@code pingInterval}, failure with 1011 "keepalive ping
 * timeout" when no Pong arrives within {@code pingTimeout}, user pings with their round-trip time, and
 * {@code latency()}. Confined to the connection's event loop, except {@link #latency()}.
 *
 * <p>"A Pong frame sent in response to a Ping frame must have identical 'Application data' as found in
 * the message body of the Ping frame being replied to." and "If an endpoint receives a Ping frame and has
 * not yet sent Pong frame(s) in response to previous Ping frame(s), the endpoint MAY elect to send a Pong
 * frame for only the most recently processed Ping frame." (<a
 * href="https://www.rfc-editor.org/rfc/rfc6455#section-5.5.3">RFC 6455 §5.5.3</a>) Hence a Pong
 * acknowledges the Ping with its payload and every Ping sent before it, as in {@code websockets}.
 *
 * <p>Timers run on {@code options.timer()} (a {@code VirtualTimeScheduler} in tests) and hop onto the
 * event loop. The keepalive interval is kept by a {@link KeepaliveTicker} shared with every connection on
 * the same timer and interval: a Ping goes out {@code pingInterval} after the session opened, then
 * {@code pingInterval} after the previous one. A stalled consumer pauses socket reads, and with them the
 * reading of Pongs: a consumer that stalls longer than {@code pingTimeout} gets the connection failed
 * with 1011.
 */
final class Keepalive extends KeepaliveTicker.Member {

    /** What the keepalive needs from the engine. Called on the event loop. */
    interface Pinger {
        /** Whether Pings may be sent (state OPEN). */
        boolean canPing();

        /** Sends a Ping now. */
        void sendPing(ByteBuffer payload);

        /** Fails the connection: no Pong in time. */
        void pingTimedOut();

        /** Runs {@code task} on the event loop. */
        void execute(Runnable task);

        /** Why no Ping can be sent now. */
        Throwable notOpen();
    }

    private static final class PendingPing {
        final long sentAt;
        final MonoSink<Duration> sink;
        Disposable timeout;

        PendingPing(long sentAt, MonoSink<Duration> sink) {
            this.sentAt = sentAt;
            this.sink = sink;
        }
    }

    private final Pinger pinger;
    private final Scheduler timer;
    private final Duration interval;
    private final Duration timeout;
    // Pings waiting for their Pong, oldest first; made on the first Ping (an idle connection keeps none).
    private Map<ByteBuffer, PendingPing> pending = Map.of();
    private volatile long latencyNanos;
    private boolean stopped;
    /** The keepalive Ping waiting for its Pong: no other keepalive Ping goes out meanwhile. */
    private PendingPing keepaliveInFlight;

    Keepalive(Pinger pinger, SessionOptions options) {
        this.pinger = pinger;
        this.timer = options.timer();
        this.interval = options.pingInterval();
        this.timeout = options.pingTimeout();
    }

    /** Starts the keepalive timer, unless {@code pingInterval} is zero. */
    void start() {
        if (!interval.isZero() && !stopped) {
            KeepaliveTicker.join(this, timer, interval.toNanos());
        }
    }

    @Override
    void tick() {
        pinger.execute(this::keepalivePing);
    }

    /** Sends a user Ping; completes with the round-trip time. */
    Mono<Duration> ping(ByteBuffer payload) {
        return Mono.create(sink -> pinger.execute(() -> {
            if (stopped || !pinger.canPing()) {
                sink.error(pinger.notOpen());
            } else if (pending.containsKey(payload)) {
                sink.error(new IllegalStateException("already waiting for a pong with the same data: "
                        + FrameTrace.describe(Opcode.PING, true, 0, payload)));
            } else {
                pendingMap().put(payload, new PendingPing(now(), sink));
                pinger.sendPing(payload.duplicate());
            }
        }));
    }

    /** Handles a received Pong: acknowledges its Ping and every earlier one. */
    void onPong(ByteBuffer payload) {
        if (!pending.containsKey(payload)) {
            // An unsolicited Pong serves as a unidirectional heartbeat; no response is expected (§5.5.3).
            return;
        }
        long now = now();
        Iterator<Map.Entry<ByteBuffer, PendingPing>> entries =
                pending.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<ByteBuffer, PendingPing> entry = entries.next();
            entries.remove();
            PendingPing ping = entry.getValue();
            if (ping == keepaliveInFlight) {
                keepaliveInFlight = null;
            }
            long rtt = now - ping.sentAt;
            if (ping.timeout != null) {
                ping.timeout.dispose();
            }
            if (ping.sink != null) {
                ping.sink.success(Duration.ofNanos(rtt));
            }
            if (entry.getKey().equals(payload)) {
                latencyNanos = rtt;
                if (pending.isEmpty()) {
                    pending = Map.of(); // an idle connection keeps no map between keepalive pings
                }
                return;
            }
        }
    }

    /** The round-trip time of the last acknowledged Ping; thread-safe. */
    Duration latency() {
        return Duration.ofNanos(latencyNanos);
    }

    /** The number of Pings waiting for a Pong. */
    int pendingPings() {
        return pending.size();
    }

    /** Stops the timers and fails the waiting user pings with {@code cause}. */
    void stop(Throwable cause) {
        stopped = true;
        KeepaliveTicker.leave(this);
        for (PendingPing ping : pending.values()) {
            if (ping.timeout != null) {
                ping.timeout.dispose();
            }
            if (ping.sink != null) {
                ping.sink.error(cause);
            }
        }
        pending = Map.of();
    }

    private void keepalivePing() {
        // While the last keepalive Ping waits for its Pong, the tick is skipped: its timeout decides (a tick
        // at the timeout's instant would otherwise send a Ping to a peer about to be declared dead).
        if (stopped || !pinger.canPing() || keepaliveInFlight != null) {
            return;
        }
        ByteBuffer payload;
        do {
            // Random 4-byte payloads, as in websockets: unique among the pings in flight.
            payload =
                    ByteBuffer.allocate(4).putInt(0, ThreadLocalRandom.current().nextInt());
        } while (pending.containsKey(payload));
        PendingPing ping = new PendingPing(now(), null);
        keepaliveInFlight = ping;
        pendingMap().put(payload, ping);
        pinger.sendPing(payload.duplicate());
        if (!timeout.isZero()) {
            ByteBuffer key = payload;
            ping.timeout = timer.schedule(
                    () -> pinger.execute(() -> {
                        if (!stopped && pending.get(key) == ping) {
                            pinger.pingTimedOut();
                        }
                    }),
                    timeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    }

    private Map<ByteBuffer, PendingPing> pendingMap() {
        if (!(pending instanceof LinkedHashMap)) {
            pending = new LinkedHashMap<>();
        }
        return pending;
    }

    private long now() {
        return timer.now(TimeUnit.NANOSECONDS);
    }
}
