package dev.wsflux.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Quick loopback measurements printed for the record (not benchmarks: no warm-up discipline, client and
 * server share one JVM and its 2 cores). The assertions only check that everything arrived and that the
 * numbers are sane.
 */
class LoopbackMeasurementIT {
    private RunningServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown(1001, "", Duration.ofSeconds(5)).block(Duration.ofSeconds(30));
        }
    }

    private void startEcho() {
        server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .compression(false)
                .route("/echo", session -> session.send(session.receive()))
                .bindNow();
    }

    @Test
    void echoThroughput() {
        startEcho();
        echo(TestClient.connect(server, "/echo"), 20_000, 100); // warm-up
        for (int size : new int[] {100, 16 * 1024}) {
            int count = size == 100 ? 50_000 : 5_000;
            long nanos = echo(TestClient.connect(server, "/echo"), count, size);
            double seconds = nanos / 1e9;
            System.out.printf(
                    "echo %,d x %,d B: %.0f messages/s, %.1f MB/s each way%n",
                    count, size, count / seconds, count * (double) size / seconds / 1e6);
        }
    }

    private static long echo(WebSocketSession client, int count, int size) {
        Message message = Message.binary(new byte[size]);
        long start = System.nanoTime();
        Long received = client.receive()
                .take(count)
                .count()
                .zipWith(client.send(Flux.range(0, count).map(i -> message)).then(Mono.just(0L)), Long::sum)
                .block(Duration.ofMinutes(2));
        long nanos = System.nanoTime() - start;
        assertEquals(count, received);
        client.close().block(TestClient.WAIT);
        return nanos;
    }

    @Test
    void heapOfIdleConnections() {
        startEcho();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        // A first connection loads the classes and warms the allocators.
        TestClient.connect(server, "/echo").close().block(TestClient.WAIT);
        long before = usedHeapAfterGc(memory);
        List<WebSocketSession> clients = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            try {
                clients.add(TestClient.connect(server, "/echo"));
            } catch (RuntimeException e) {
                throw new AssertionError("connection " + i + " failed", e);
            }
        }
        WebSocketServerIT.await(() -> server.sessions().size() == 1_000);
        long after = usedHeapAfterGc(memory);
        long perConnection = (after - before) / 1_000;
        System.out.printf(
                "1,000 idle connections: %,d KiB heap in all, %,d bytes per connection (client and server"
                        + " ends both in this JVM)%n",
                (after - before) / 1024, perConnection);
        assertTrue(perConnection < 256 * 1024, "per connection: " + perConnection);
        Flux.fromIterable(clients).flatMap(WebSocketSession::close).then().block(Duration.ofSeconds(60));
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
