package dev.wsflux.server;

import dev.wsflux.core.MemoryBudget;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The server under attack in {@link MemoryBudgetIT}, run in its own JVM with a small heap: {@code /sink}
 * never reads, {@code /echo} echoes. Prints {@code port N}, then answers {@code stats} on stdin with one line
 * of figures (heap after a GC, open fds, live event-loop threads, sessions, the budget) and {@code quit} with
 * a graceful shutdown.
 */
public final class BudgetedServerMain {
    private BudgetedServerMain() {}

    public static void main(String[] args) throws Exception {
        RunningServer server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .route("/sink", session -> session.closeDetails().then())
                .route("/echo", session -> session.send(session.receive()))
                .bindNow();
        System.out.println("port " + server.port());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("stats")) {
                System.out.println(stats(server));
            } else if (line.equals("quit")) {
                server.shutdownNow();
                System.out.println("bye");
                return;
            }
        }
    }

    private static String stats(RunningServer server) throws Exception {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long fds;
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            fds = open.count();
        }
        long loops = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("reactor-tcp") && thread.isAlive())
                .count();
        MemoryBudget budget = MemoryBudget.processDefault();
        return "heap " + heap + " fds " + fds + " loops " + loops + " sessions "
                + server.sessions().size()
                + " budget " + budget.used() + " limit " + budget.limit() + " paused " + budget.pausedConnections()
                + " rejected " + budget.rejectedHandshakes();
    }
}
