package dev.wsflux.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A TCP relay on 127.0.0.1 that forwards every connection to a target port and counts the bytes in each
 * direction, in all and per connection (named by the {@code conn=} query of its request), and reads the WebSocket
 * frame headers that cross it. Put between two peers, it proves that permessage-deflate was <em>used</em>, not only
 * negotiated: a compressible 1 MiB message crosses the wire in far fewer bytes, and an incompressible one in a frame
 * with RSV1 set that is larger than the message. Thread-safe; one thread per direction per connection (test code,
 * loopback only).
 */
final class WireCounter implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicLong toTarget = new AtomicLong();
    private final AtomicLong fromTarget = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Relayed> connections = new CopyOnWriteArrayList<>();

    /** The header of a frame that crossed the relay. */
    record FrameHeader(int opcode, boolean fin, boolean rsv1, long length) {}

    /**
     * The wire length of each compressed message among {@code frames}: the payloads of its frames added up, from the
     * first (RSV1 set, RFC 7692 §6) to the final one, control frames left out.
     */
    static List<Long> compressedMessageLengths(List<FrameHeader> frames) {
        List<Long> lengths = new ArrayList<>();
        long length = -1; // -1: not inside a compressed message
        for (FrameHeader frame : frames) {
            if (frame.opcode() >= 8) {
                continue;
            }
            if (frame.opcode() != 0) {
                length = frame.rsv1() ? 0 : -1;
            }
            if (length >= 0) {
                length += frame.length();
                if (frame.fin()) {
                    lengths.add(length);
                    length = -1;
                }
            }
        }
        return lengths;
    }

    /** One relayed connection: its name once its request was read, its byte counts and its frames. */
    private static final class Relayed {
        volatile String conn;
        final AtomicLong toTarget = new AtomicLong();
        final AtomicLong fromTarget = new AtomicLong();
        final List<FrameHeader> framesToTarget = new CopyOnWriteArrayList<>();
        final List<FrameHeader> framesFromTarget = new CopyOnWriteArrayList<>();
    }

    private WireCounter(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "wire-counter-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a relay to {@code 127.0.0.1:targetPort}. */
    static WireCounter to(int targetPort) {
        try {
            return new WireCounter(targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1", e);
        }
    }

    /** The port clients connect to. */
    int port() {
        return listener.getLocalPort();
    }

    /** Bytes sent by clients towards the target so far. */
    long bytesToTarget() {
        return toTarget.get();
    }

    /** Bytes sent by the target back to clients so far. */
    long bytesFromTarget() {
        return fromTarget.get();
    }

    /** Bytes sent towards the target on the connections whose request has {@code conn=<conn>}. */
    long bytesToTarget(String conn) {
        return named(conn).stream().mapToLong(c -> c.toTarget.get()).sum();
    }

    /** Bytes sent back by the target on the connections whose request has {@code conn=<conn>}. */
    long bytesFromTarget(String conn) {
        return named(conn).stream().mapToLong(c -> c.fromTarget.get()).sum();
    }

    /** The frames sent towards the target on the connections named {@code conn}, in order. */
    List<FrameHeader> framesToTarget(String conn) {
        return named(conn).stream().flatMap(c -> c.framesToTarget.stream()).toList();
    }

    /** The frames sent back by the target on the connections named {@code conn}, in order. */
    List<FrameHeader> framesFromTarget(String conn) {
        return named(conn).stream().flatMap(c -> c.framesFromTarget.stream()).toList();
    }

    private List<Relayed> named(String conn) {
        return connections.stream().filter(c -> conn.equals(c.conn)).toList();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket target = new Socket();
                target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 10_000);
                sockets.add(client);
                sockets.add(target);
                Relayed relayed = new Relayed();
                connections.add(relayed);
                FrameSniffer request = new FrameSniffer(
                        head -> {
                            relayed.conn = connName(head);
                            return head.toLowerCase(Locale.ROOT).contains("upgrade: websocket");
                        },
                        relayed.framesToTarget::add);
                FrameSniffer response =
                        new FrameSniffer(head -> head.startsWith("HTTP/1.1 101"), relayed.framesFromTarget::add);
                pump(client, target, toTarget, relayed.toTarget, request);
                pump(target, client, fromTarget, relayed.fromTarget, response);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The {@code conn} query parameter of the request line, or the request target when there is none. */
    private static String connName(String head) {
        String[] requestLine = head.split("\r\n", 2)[0].split(" ");
        String target = requestLine.length > 1 ? requestLine[1] : "";
        int at = target.indexOf("conn=");
        return at < 0 ? target : target.substring(at + "conn=".length()).split("&", 2)[0];
    }

    private static void pump(Socket from, Socket to, AtomicLong total, AtomicLong counter, FrameSniffer sniffer) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try {
                        InputStream in = from.getInputStream();
                        OutputStream out = to.getOutputStream();
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            total.addAndGet(n);
                            counter.addAndGet(n);
                            // Read before forwarding, so that a request's name is known before its response comes.
                            sniffer.feed(buffer, n);
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                        // Relay the half-close, so that each side sees the other's TCP FIN.
                        to.shutdownOutput();
                    } catch (IOException e) {
                        closeQuietly(to);
                    }
                },
                "wire-counter-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Reads one direction of a connection: the HTTP head up to its empty line, then, if {@code webSocketHead}
     * accepts the head, frame headers (RFC 6455 §5.2), skipping the payloads. Not thread-safe: one pump thread
     * feeds it.
     */
    private static final class FrameSniffer {
        private static final int MAX_HEAD = 64 * 1024;

        private final Predicate<String> webSocketHead;
        private final Consumer<FrameHeader> frames;
        private final StringBuilder head = new StringBuilder();
        private boolean inHead = true;
        private boolean framing;
        private final byte[] header = new byte[14];
        private int headerLength;
        private long skip;

        FrameSniffer(Predicate<String> webSocketHead, Consumer<FrameHeader> frames) {
            this.webSocketHead = webSocketHead;
            this.frames = frames;
        }

        void feed(byte[] bytes, int length) {
            int i = 0;
            while (i < length) {
                if (inHead) {
                    head.append((char) (bytes[i++] & 0xff));
                    int end = head.length();
                    if (end >= 4
                            && head.charAt(end - 1) == '\n'
                            && "\r\n\r\n".contentEquals(head.subSequence(end - 4, end))) {
                        inHead = false;
                        framing = webSocketHead.test(head.toString());
                    } else if (end > MAX_HEAD) {
                        inHead = false; // not HTTP: nothing to read
                    }
                } else if (!framing) {
                    return;
                } else if (skip > 0) {
                    int n = (int) Math.min(skip, length - i);
                    skip -= n;
                    i += n;
                } else {
                    header[headerLength++] = bytes[i++];
                    if (headerLength >= 2 && headerLength == headerLength()) {
                        FrameHeader frame = parse();
                        frames.accept(frame);
                        skip = frame.length();
                        headerLength = 0;
                    }
                }
            }
        }

        /** The length of the header being read: 2, plus the extended length and the mask key it announces. */
        private int headerLength() {
            int length7 = header[1] & 0x7f;
            int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
            return 2 + extended + ((header[1] & 0x80) != 0 ? 4 : 0);
        }

        private FrameHeader parse() {
            int length7 = header[1] & 0x7f;
            long length = length7;
            if (length7 >= 126) {
                length = 0;
                for (int i = 2; i < (length7 == 126 ? 4 : 10); i++) {
                    length = length << 8 | (header[i] & 0xff);
                }
            }
            return new FrameHeader(header[0] & 0x0f, (header[0] & 0x80) != 0, (header[0] & 0x40) != 0, length);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(WireCounter::closeQuietly);
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
