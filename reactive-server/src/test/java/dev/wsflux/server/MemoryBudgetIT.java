package dev.wsflux.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.testing.Await;
import dev.wsflux.core.testing.RawWebSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The process-wide memory budget against the attack of the issue: 500 connections that each send 64 KiB
 * messages to a handler that never reads, against a server with {@code -Xmx256m} (budget: a quarter, 64 MiB).
 * Without the budget they would ask for 500 × 1 MiB of queues and the event loops died of
 * {@code OutOfMemoryError}. With it: reading pauses, a fresh client is answered (503 with
 * {@code Retry-After} while the budget is exceeded, 101 after), no event-loop thread dies, and once the
 * attackers leave, heap and file descriptors return to their baseline and the server shuts down cleanly.
 */
class MemoryBudgetIT {
    private static final int CONNECTIONS = 500;
    private static final int MESSAGE = 64 * 1024; // 64 KiB
    /** The largest socket read with Netty's default adaptive receive buffer: 64 KiB. */
    private static final int READ = 64 * 1024;

    private static final Duration ATTACK_TIME = Duration.ofSeconds(60);

    private Process child;
    private BufferedReader out;
    private PrintWriter in;
    private final List<SocketChannel> attackers = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (SocketChannel attacker : attackers) {
            attacker.close();
        }
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void fiveHundredSlowReadersNeitherExhaustTheHeapNorStopTheServer() throws Exception {
        int port = startServer();
        Map<String, Long> baseline = stats();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);

        for (int i = 0; i < CONNECTIONS; i++) {
            attackers.add(openSink(address));
        }
        long sent = flood();
        Map<String, Long> during = stats();
        assertTrue(sent > during.get("limit"), "the attack sent " + sent + " bytes, more than the budget");
        // The budget stops decoding at once; what each connection's last read brought stays, undecoded.
        long bound = during.get("limit") + CONNECTIONS * (long) READ;
        assertTrue(during.get("budget") <= bound, "budget held: " + during + ", bound " + bound);
        assertTrue(during.get("paused") > 0, "the budget paused readers: " + during);
        assertTrue(during.get("heap") < 200L << 20, "heap after GC under load: " + during);
        String answer = freshClient(address);
        assertTrue(
                answer.startsWith("HTTP/1.1 503") && answer.contains("Retry-After: 5"),
                "a fresh client is answered while the budget is exceeded: " + answer);

        for (SocketChannel attacker : attackers) {
            attacker.setOption(StandardSocketOptions.SO_LINGER, 0); // a reset: the server sees it at once
            attacker.close();
        }
        attackers.clear();
        AtomicReference<Map<String, Long>> last = new AtomicReference<>();
        try {
            Await.until("the attackers' sessions are gone", Duration.ofSeconds(30), () -> {
                last.set(stats());
                return last.get().get("sessions") == 0 && last.get().get("budget") == 0;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + last.get(), e);
        }
        assertTrue(freshClient(address).startsWith("HTTP/1.1 101"), "a fresh client is upgraded after the attack");
        try (RawWebSocket echo = RawWebSocket.open(address, "/echo")) {
            echo.sendFrame(0x1, "still serving".getBytes(StandardCharsets.UTF_8), true);
            assertEquals("still serving", new String(echo.readFrame().payload(), StandardCharsets.UTF_8));
        }
        Map<String, Long> after = stats();
        System.out.printf(
                "MemoryBudgetIT: sent %d bytes; baseline %s; under attack %s; after %s%n",
                sent, baseline, during, after);
        assertEquals(during.get("loops"), after.get("loops"), "no event-loop thread died: " + during + " -> " + after);
        assertTrue(after.get("fds") <= baseline.get("fds") + 8, "fds back to baseline: " + baseline + " -> " + after);
        assertTrue(
                after.get("heap") <= baseline.get("heap") + (16L << 20),
                "heap back to baseline: " + baseline + " -> " + after);

        in.println("quit");
        assertEquals("bye", out.readLine(), "a graceful shutdown");
        assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the server process exits");
        assertEquals(0, child.exitValue());
    }

    private int startServer() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:+UseG1GC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        BudgetedServerMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("port "), "server started: " + line);
        return Integer.parseInt(line.substring(5));
    }

    private Map<String, Long> stats() {
        in.println("stats");
        try {
            String[] words = out.readLine().split(" ");
            Map<String, Long> stats = new HashMap<>();
            for (int i = 0; i + 1 < words.length; i += 2) {
                stats.put(words[i], Long.parseLong(words[i + 1]));
            }
            return stats;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Connects and upgrades on {@code /sink}, with a small send buffer, then switches to non-blocking. */
    private static SocketChannel openSink(InetSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
        channel.connect(address);
        channel.write(ByteBuffer.wrap(
                RawWebSocket.upgradeRequest(address, "/sink", "").getBytes(StandardCharsets.ISO_8859_1)));
        String head = readHead(channel);
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        channel.configureBlocking(false);
        return channel;
    }

    /**
     * Writes 64 KiB binary messages on every connection, round-robin and without blocking, until a round
     * moves nothing three times in a row (TCP has stopped every attacker) or {@link #ATTACK_TIME} passed.
     *
     * @return the bytes written in all
     */
    private long flood() throws IOException, InterruptedException {
        byte[] frame = RawWebSocket.maskedFrame(0x2, new byte[MESSAGE], true);
        Map<SocketChannel, ByteBuffer> pending = new HashMap<>();
        long total = 0;
        long deadline = System.nanoTime() + ATTACK_TIME.toNanos();
        int idleRounds = 0;
        while (idleRounds < 3 && System.nanoTime() < deadline) {
            long round = 0;
            for (SocketChannel attacker : attackers) {
                ByteBuffer buffer = pending.computeIfAbsent(attacker, a -> ByteBuffer.wrap(frame));
                int n = attacker.write(buffer);
                round += n;
                if (!buffer.hasRemaining()) {
                    pending.put(attacker, ByteBuffer.wrap(frame));
                }
            }
            total += round;
            if (round == 0) {
                idleRounds++;
                Thread.sleep(200); // the attack's own pace: give the server time to read, if it still would
            } else {
                idleRounds = 0;
            }
        }
        return total;
    }

    /** An upgrade request to {@code /echo} on a new connection; returns the response head. */
    private static String freshClient(InetSocketAddress address) throws IOException {
        try (RawWebSocket peer = RawWebSocket.connect(address)) {
            return peer.request(RawWebSocket.upgradeRequest(address, "/echo", ""));
        }
    }

    private static String readHead(SocketChannel channel) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (channel.read(one) < 0) {
                throw new IOException("closed in the response head: " + head);
            }
            head.append((char) one.get(0));
        }
        return head.toString();
    }
}
