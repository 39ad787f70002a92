package dev.wsflux.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 that forwards every connection to a target port and counts the bytes in each
 * direction. Put between two peers, it proves that permessage-deflate was <em>used</em>, not only negotiated: a
 * compressible 1 MiB message crosses the wire in far fewer bytes. Thread-safe; one thread per direction per
 * connection (test code, loopback only).
 */
final class WireCounter implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicLong toTarget = new AtomicLong();
    private final AtomicLong fromTarget = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

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

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket target = new Socket();
                target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 10_000);
                sockets.add(client);
                sockets.add(target);
                pump(client, target, toTarget);
                pump(target, client, fromTarget);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to, AtomicLong counter) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try {
                        InputStream in = from.getInputStream();
                        OutputStream out = to.getOutputStream();
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            counter.addAndGet(n);
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
