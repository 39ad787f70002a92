package dev.wsflux.benchmarks;

import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.ServerExtensionFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateClientFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateOptions;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateServerFactory;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.http11.ExtensionOffer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures the memory, compression ratio and speed of permessage-deflate settings; the tables in {@code
 * PerMessageDeflate}'s documentation come from it. A program, not a JMH benchmark: memory is a count after
 * garbage collection, and speed the fastest of five rounds of thread CPU time. Runs on Linux (it reads the
 * resident set size from {@code /proc/self/status}) with a fixed, pre-touched heap so that the growth of the
 * resident set is native memory:
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
 *     dev.wsflux.benchmarks.PerMessageDeflateMeasurement
 * </pre>
 *
 * <p>Each memory line runs in a fresh JVM; {@code speed} as the only argument runs the speed table alone.
 */
public final class PerMessageDeflateMeasurement {
    private static final int CONNECTIONS = 2000;

    private PerMessageDeflateMeasurement() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length == 2 && args[0].equals("memory")) {
            memory(Integer.parseInt(args[1]));
            return;
        }
        if (args.length == 1 && args[0].equals("speed")) {
            speedTable();
            return;
        }
        System.out.println("memory per idle connection, server side, after one message each way (" + CONNECTIONS
                + " connections; each line in a fresh JVM)");
        System.out.println("| settings | messages | heap | native (resident) |");
        for (int config = 0; config < 6; config++) {
            // A fresh JVM each: native memory freed by one measurement stays resident in the malloc arenas
            // and would be reused by the next one without growing the resident set.
            Process process = new ProcessBuilder(
                            ProcessHandle.current().info().command().orElse("java"),
                            "-Xms1g",
                            "-Xmx1g",
                            "-XX:+AlwaysPreTouch",
                            "-cp",
                            System.getProperty("java.class.path"),
                            PerMessageDeflateMeasurement.class.getName(),
                            "memory",
                            Integer.toString(config))
                    .inheritIO()
                    .start();
            process.waitFor();
        }

        System.out.println();
        speedTable();
    }

    private static void speedTable() {
        System.out.println("JSON events, 2000 messages of each size; CPU time per message, fastest of 5 rounds");
        System.out.println("| settings | size | ratio | compress | decompress |");
        for (int size : new int[] {128, 1024, 16 * 1024}) {
            speed("level 6, window 15, context takeover", 6, 15, false, size);
            speed("level 1, window 15, context takeover", 1, 15, false, size);
            speed("level 9, window 15, context takeover", 9, 15, false, size);
            speed("level 6, window 15, no context takeover", 6, 15, true, size);
            speed("level 6, window 12, context takeover", 6, 12, false, size);
            speed("level 6, window 12, no context takeover", 6, 12, true, size);
            speed("level 6, window 9, context takeover", 6, 9, false, size);
        }
    }

    private static void memory(int config) throws IOException {
        switch (config) {
            case 0 ->
                memory(
                        "server defaults (12-bit windows, context takeover)",
                        1024,
                        PerMessageDeflateServerFactory.create());
            case 1 ->
                memory(
                        "server defaults (12-bit windows, context takeover)",
                        64 * 1024,
                        PerMessageDeflateServerFactory.create());
            case 2 -> memory("15-bit windows, context takeover", 1024, fullWindows(false));
            case 3 -> memory("15-bit windows, context takeover", 64 * 1024, fullWindows(false));
            case 4 -> memory("15-bit windows, no context takeover", 64 * 1024, fullWindows(true));
            default -> memory("any settings, before the first compressed message", 0, fullWindows(false));
        }
    }

    private static PerMessageDeflateServerFactory fullWindows(boolean noContextTakeover) {
        return PerMessageDeflateServerFactory.of(PerMessageDeflateOptions.clientDefaults().toBuilder()
                .serverNoContextTakeover(noContextTakeover)
                .clientNoContextTakeover(noContextTakeover)
                .build());
    }

    private static void memory(String name, int size, PerMessageDeflateServerFactory factory) throws IOException {
        byte[] message = events(new Random(1), size);
        for (Extension connection : connections(factory, message, 20)) { // loads and compiles the code
            connection.close();
        }
        settle();
        long heapBefore = heapUsed();
        long residentBefore = resident();
        List<Extension> connections = connections(factory, message, CONNECTIONS);
        settle();
        long heap = (heapUsed() - heapBefore) / CONNECTIONS;
        long resident = (resident() - residentBefore) / CONNECTIONS;
        String messages = size == 0 ? "none" : String.format(Locale.ROOT, "%,d B", size);
        System.out.printf(Locale.ROOT, "| %s | %s | %,d B | %,d B |%n", name, messages, heap, resident);
        for (Extension connection : connections) {
            connection.close();
        }
    }

    /** Server-side extensions negotiated with the client defaults, each after one message each way. */
    private static List<Extension> connections(PerMessageDeflateServerFactory factory, byte[] message, int count) {
        PerMessageDeflateClientFactory clientFactory = PerMessageDeflateClientFactory.create();
        ExtensionOffer offer = clientFactory.offers().get(0);
        List<Extension> connections = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ServerExtensionFactory.Accepted accepted = factory.accept(offer, List.of());
            Extension server = accepted.extension();
            if (message.length > 0) {
                Extension client = clientFactory.accept(accepted.response(), List.of());
                server.decode(client.encode(Frame.binary(message.clone()), true), Long.MAX_VALUE);
                server.encode(Frame.binary(message.clone()), true);
                client.close();
            }
            connections.add(server);
        }
        return connections;
    }

    /**
     * Compresses on the server side of a negotiated pair (the sender: {@code level}, a {@code bits}-bit window,
     * with or without context takeover) and decompresses on the client side.
     */
    private static void speed(String name, int level, int bits, boolean noContextTakeover, int size) {
        PerMessageDeflateOptions options = PerMessageDeflateOptions.serverDefaults().toBuilder()
                .compressionLevel(level)
                .compressionThreshold(0)
                .serverMaxWindowBits(bits)
                .serverNoContextTakeover(noContextTakeover)
                .build();
        PerMessageDeflateServerFactory serverFactory = PerMessageDeflateServerFactory.of(options);
        PerMessageDeflateClientFactory clientFactory = PerMessageDeflateClientFactory.create();
        Random random = new Random(size);
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            messages.add(events(random, size));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double ratio = 0;
        double compress = Double.MAX_VALUE;
        double decompress = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            ServerExtensionFactory.Accepted accepted =
                    serverFactory.accept(clientFactory.offers().get(0), List.of());
            Extension sender = accepted.extension();
            Extension receiver = clientFactory.accept(accepted.response(), List.of());
            List<Frame> frames = new ArrayList<>(messages.size());
            long in = 0;
            long out = 0;
            long start = threads.getCurrentThreadCpuTime();
            for (byte[] message : messages) {
                Frame frame = sender.encode(Frame.binary(message), true);
                frames.add(frame);
                in += message.length;
                out += frame.length();
            }
            long compressed = threads.getCurrentThreadCpuTime();
            for (Frame frame : frames) {
                receiver.decode(frame, Long.MAX_VALUE);
            }
            long decompressed = threads.getCurrentThreadCpuTime();
            ratio = (double) out / in;
            compress = Math.min(compress, (compressed - start) / 1000.0 / messages.size());
            decompress = Math.min(decompress, (decompressed - compressed) / 1000.0 / messages.size());
            sender.close();
            receiver.close();
        }
        System.out.printf(
                Locale.ROOT, "| %s | %,d B | %.3f | %.1f µs | %.1f µs |%n", name, size, ratio, compress, decompress);
    }

    /** JSON events like a feed sends: the same keys, varying values. */
    static byte[] events(Random random, int size) {
        String[] actions = {"click", "view", "scroll", "purchase", "share"};
        StringBuilder text = new StringBuilder(size + 200).append('[');
        while (text.length() < size) {
            text.append("{\"id\":")
                    .append(random.nextInt(1_000_000))
                    .append(",\"user\":\"user")
                    .append(random.nextInt(5000))
                    .append("\",\"action\":\"")
                    .append(actions[random.nextInt(actions.length)])
                    .append("\",\"ts\":")
                    .append(1_700_000_000_000L + random.nextInt(100_000_000))
                    .append(",\"score\":")
                    .append(random.nextInt(1000) / 10.0)
                    .append("},");
        }
        return text.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    private static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long resident() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
