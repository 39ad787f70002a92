package dev.wsflux.samples;

import dev.wsflux.protocol.http11.WebSocketKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebSocket server on raw sockets, for what a real server would not send: it accepts connections on
 * 127.0.0.1 and a free port, answers each handshake with 101 (and the given extension header), writes the
 * given bytes, then reads and discards whatever comes, and <em>never closes TCP itself</em>, as a broken
 * server would not. Closing the {@code RawServer} closes everything.
 */
final class RawServer implements AutoCloseable {
    private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)\\s*$");

    private final ServerSocket socket;
    private final Thread acceptor;
    private final Queue<Socket> connections = new ConcurrentLinkedQueue<>();

    private RawServer(ServerSocket socket, String extensions, byte[] afterHandshake) {
        this.socket = socket;
        this.acceptor = new Thread(() -> accept(extensions, afterHandshake), "raw-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a server that sends {@code afterHandshake} after the 101.
     *
     * @param extensions the {@code Sec-WebSocket-Extensions} value of the 101, or {@code null} for none
     */
    static RawServer start(String extensions, byte[] afterHandshake) throws IOException {
        return new RawServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), extensions, afterHandshake);
    }

    /** {@code ws://127.0.0.1:port/}. */
    String url() {
        return "ws://127.0.0.1:" + socket.getLocalPort() + "/";
    }

    private void accept(String extensions, byte[] afterHandshake) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                Thread serve = new Thread(() -> serve(connection, extensions, afterHandshake), "raw-server-connection");
                serve.setDaemon(true);
                serve.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection, String extensions, byte[] afterHandshake) {
        try (connection) {
            InputStream in = connection.getInputStream();
            String request = readRequest(in);
            Matcher key = KEY.matcher(request);
            if (!key.find()) {
                return;
            }
            String response = "HTTP/1.1 101 Switching Protocols\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + WebSocketKey.accept(key.group(1)) + "\r\n"
                    + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n")
                    + "\r\n";
            OutputStream out = connection.getOutputStream();
            out.write(response.getBytes(StandardCharsets.ISO_8859_1));
            out.write(afterHandshake);
            out.flush();
            in.transferTo(OutputStream.nullOutputStream()); // until the client closes: never close first
        } catch (IOException e) {
            // the client went away, or the server is closed
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the request");
            }
            request.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return request.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }
}
