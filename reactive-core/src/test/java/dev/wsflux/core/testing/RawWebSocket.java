package dev.wsflux.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A deliberately dumb WebSocket peer over a blocking {@link Socket}: writes the upgrade request and frames
 * by hand, reads the response head and frames. For tests that need a peer the engine does not control
 * (one that does not read, sends 1,000 messages at once, or speaks plain HTTP). Not thread-safe.
 */
public final class RawWebSocket implements Closeable {
    /** A received frame. */
    public record RawFrame(int opcode, boolean fin, byte[] payload) {}

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects TCP only (no handshake yet); reads time out after 10 s. */
    public static RawWebSocket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5_000);
        socket.setSoTimeout(10_000);
        return new RawWebSocket(socket);
    }

    /** Connects and performs the opening handshake for {@code path}; fails unless the answer is 101. */
    public static RawWebSocket open(InetSocketAddress address, String path) throws IOException {
        RawWebSocket peer = connect(address);
        String head = peer.request(upgradeRequest(address, path, ""));
        if (!head.startsWith("HTTP/1.1 101")) {
            peer.close();
            throw new IOException("handshake refused: " + head);
        }
        return peer;
    }

    /** An upgrade request for {@code path} with {@code extraHeaders} (CRLF-terminated lines). */
    public static String upgradeRequest(InetSocketAddress address, String path, String extraHeaders) {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        return "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + extraHeaders
                + "\r\n";
    }

    /** Writes {@code request} and returns the response head (status line and headers). */
    public String request(String request) throws IOException {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return readHead();
    }

    /** Reads up to the empty line that ends an HTTP head. */
    public String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads the body that follows a head with a {@code Content-Length}. */
    public String readBody(String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                byte[] body = new byte[Integer.parseInt(line.substring(15).trim())];
                in.readFully(body);
                return new String(body, StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /** Sends one masked frame, as a client must (RFC 6455 §5.3). */
    public void sendFrame(int opcode, byte[] payload, boolean fin) throws IOException {
        out.write(maskedFrame(opcode, payload, fin));
        out.flush();
    }

    /** The bytes of one masked frame. */
    public static byte[] maskedFrame(int opcode, byte[] payload, boolean fin) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    /** Reads one unmasked frame (from a server). */
    public RawFrame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new RawFrame(first & 0x0F, (first & 0x80) != 0, payload);
    }

    /** Whether the server closed the connection: the next read sees EOF (or a reset). */
    public boolean readsEof() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    /** The raw output stream, to write anything. */
    public OutputStream output() {
        return out;
    }

    /** The raw input stream. */
    public InputStream input() {
        return in;
    }

    /** Closes with {@code SO_LINGER} 0: the kernel sends RST instead of FIN (a "connection reset"). */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
