package dev.wsflux.benchmarks;

import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Quick loopback figures: echo throughput of small and 16 KiB messages, and the heap of 1,000 idle connections.
 * Client and server share one JVM (and its cores), with no warm-up discipline beyond one round: a smoke check of
 * orders of magnitude, not a benchmark ({@code run-e2e.sh} is the benchmark). Compression is off on both ends.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.wsflux.benchmarks.LoopbackMeasurement
 * </pre>
 */
public final class LoopbackMeasurement {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int IDLE_CONNECTIONS = 1_000;

    private LoopbackMeasurement() {}

    public static void main(String[] args) {
        RunningServer server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .compression(false)
                .route("/echo", session -> session.send(session.receive()))
                .bindNow();
        WebSocketClient client = WebSocketClient.create().noProxy().compression(false);
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
        try {
            echoThroughput(client, uri);
            heapOfIdleConnections(client, uri, server);
        } finally {
            server.shutdown(1001, "", Duration.ofSeconds(5)).block(Duration.ofSeconds(30));
        }
    }

    private static void echoThroughput(WebSocketClient client, URI uri) {
        echo(client.connect(uri).block(WAIT), 20_000, 100); // warm-up
        for (int size : new int[] {100, 16 * 1024}) {
            int count = size == 100 ? 50_000 : 5_000;
            long nanos = echo(client.connect(uri).block(WAIT), count, size);
            double seconds = nanos / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "echo %,d x %,d B: %.0f messages/s, %.1f MB/s each way%n",
                    count,
                    size,
                    count / seconds,
                    count * (double) size / seconds / 1e6);
        }
    }

    /** Sends {@code count} messages of {@code size} bytes and receives their echoes; returns the nanoseconds. */
    private static long echo(WebSocketSession session, int count, int size) {
        Message message = Message.binary(new byte[size]);
        long start = System.nanoTime();
        Long received = session.receive()
                .take(count)
                .count()
                .zipWith(session.send(Flux.range(0, count).map(i -> message)).then(Mono.just(0L)), Long::sum)
                .block(Duration.ofMinutes(2));
        long nanos = System.nanoTime() - start;
        if (received == null || received != count) {
            throw new IllegalStateException("received " + received + " of " + count + " echoes");
        }
        session.close().block(WAIT);
        return nanos;
    }

    private static void heapOfIdleConnections(WebSocketClient client, URI uri, RunningServer server) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        // A first connection loads the classes and warms the allocators.
        client.connect(uri).block(WAIT).close().block(WAIT);
        long before = usedHeapAfterGc(memory);
        List<WebSocketSession> sessions = new ArrayList<>();
        for (int i = 0; i < IDLE_CONNECTIONS; i++) {
            sessions.add(client.connect(uri).block(WAIT));
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (server.sessions().size() < IDLE_CONNECTIONS && System.nanoTime() < deadline) {
            sleep(10); // the server's ends may lag the clients' by a task
        }
        long after = usedHeapAfterGc(memory);
        System.out.printf(
                Locale.ROOT,
                "%,d idle connections: %,d KiB heap in all, %,d bytes per connection (client and server ends both"
                        + " in this JVM)%n",
                IDLE_CONNECTIONS,
                (after - before) / 1024,
                (after - before) / IDLE_CONNECTIONS);
        Flux.fromIterable(sessions).flatMap(WebSocketSession::close).then().block(Duration.ofSeconds(60));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
