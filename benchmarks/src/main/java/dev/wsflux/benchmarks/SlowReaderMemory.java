package dev.wsflux.benchmarks;

import dev.wsflux.core.MemoryBudget;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The heap one slow reader costs a server: {@code N} connections send messages of {@code S} bytes to a handler
 * that never reads, until TCP stops them; then the live heap after a full GC, per connection, against the
 * payload bytes the memory budget counts. The figure the bound of {@code SessionOptions} promises ("about
 * 1 MiB with 64 KiB messages, about 2 MiB of payload with 1 MiB messages").
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -Xmx512m -XX:+UseG1GC -cp benchmarks/target/benchmarks.jar dev.wsflux.benchmarks.SlowReaderMemory 20 65536
 * java -Xmx512m -XX:+UseG1GC -cp benchmarks/target/benchmarks.jar dev.wsflux.benchmarks.SlowReaderMemory 20 1048576
 * </pre>
 */
public final class SlowReaderMemory {
    private SlowReaderMemory() {}

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 64 * 1024;
        MemoryBudget budget = MemoryBudget.of(Long.MAX_VALUE / 2); // out of the way: per-connection bounds only
        RunningServer server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .compression(false)
                .options(SessionOptions.builder().memoryBudget(budget).build())
                .handle(session -> session.closeDetails().then())
                .bindNow();
        long before = liveHeap();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        byte[] payload = new byte[size];
        ThreadLocalRandom.current().nextBytes(payload);
        byte[] frame = maskedBinaryFrame(payload);
        List<SocketChannel> peers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            peers.add(open(address));
        }
        long sent = flood(peers, frame);
        long after = liveHeap();
        System.out.printf(
                Locale.ROOT,
                "connections %d, message %d B: sent %d B; live heap %.1f -> %.1f MiB: %.2f MiB per slow reader;"
                        + " budget counts %.2f MiB per reader%n",
                connections,
                size,
                sent,
                before / 1048576.0,
                after / 1048576.0,
                (after - before) / 1048576.0 / connections,
                budget.used() / 1048576.0 / connections);
        for (SocketChannel peer : peers) {
            peer.setOption(StandardSocketOptions.SO_LINGER, 0);
            peer.close();
        }
        server.shutdownNow();
    }

    private static long flood(List<SocketChannel> peers, byte[] frame) throws Exception {
        ByteBuffer[] pending = new ByteBuffer[peers.size()];
        long total = 0;
        int idle = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (idle < 5 && System.nanoTime() < deadline) {
            long round = 0;
            for (int i = 0; i < peers.size(); i++) {
                if (pending[i] == null || !pending[i].hasRemaining()) {
                    pending[i] = ByteBuffer.wrap(frame);
                }
                round += peers.get(i).write(pending[i]);
            }
            total += round;
            idle = round == 0 ? idle + 1 : 0;
            if (round == 0) {
                Thread.sleep(200); // the attack's pace: time for the server to read, if it still would
            }
        }
        return total;
    }

    private static SocketChannel open(InetSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
        channel.connect(address);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String request = "GET / HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
        InputStream in = channel.socket().getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake");
            }
            head.write(b);
        }
        channel.configureBlocking(false);
        return channel;
    }

    private static byte[] maskedBinaryFrame(byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x82);
        if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        byte[] mask = {1, 2, 3, 4};
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
