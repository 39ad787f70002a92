package dev.wsflux.conformance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Autobahn's fuzzing client: connects to the server under test, opens a WebSocket (offering
 * permessage-deflate in 12.x/13.x), plays one case and grades it. Thread-safe: every call uses its own
 * connection, so cases run in parallel.
 */
public final class FuzzingClient {

    private final String host;
    private final int port;
    private final String path;

    /** A client for the echo server at {@code ws://host:port/path}. */
    public FuzzingClient(String host, int port, String path) {
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /** Runs one case on a new connection and grades it. */
    public Verdict run(ConformanceCase c) {
        long start = System.nanoTime();
        WireLog log = new WireLog();
        CaseRecord record;
        try {
            record = play(c, log);
        } catch (IOException e) {
            log.add("! " + e);
            record = Cases.brokenBeforeOpen(List.of("connection failed: " + e.getMessage()), false, log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            record = Cases.brokenBeforeOpen(List.of("interrupted"), false, log);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return Grader.grade(c, record, PeerRole.CLIENT, millis);
    }

    private CaseRecord play(ConformanceCase c, WireLog log) throws IOException, InterruptedException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(10_000); // handshake only
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            OutputStream out = socket.getOutputStream();
            Random random = new Random(c.id().hashCode());
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            List<DeflateNegotiation.Request> offers = c.deflate() == null ? null : Cases.offersOf(c.deflate());
            StringBuilder request = new StringBuilder()
                    .append("GET ")
                    .append(path)
                    .append(" HTTP/1.1\r\n")
                    .append("Host: ")
                    .append(host)
                    .append(':')
                    .append(port)
                    .append("\r\n")
                    .append("Upgrade: websocket\r\n")
                    .append("Connection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: ")
                    .append(key)
                    .append("\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n")
                    .append("User-Agent: wsflux-conformance\r\n");
            if (offers != null) {
                request.append("Sec-WebSocket-Extensions: ")
                        .append(DeflateNegotiation.offerHeader(offers))
                        .append("\r\n");
            }
            request.append("\r\n");
            log.add("→ " + request.toString().replace("\r\n", " | "));
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            HttpHead response = HttpHead.read(in);
            log.add("← " + response);
            String problem = checkResponse(response, key);
            if (problem != null) {
                socket.close();
                return Cases.brokenBeforeOpen(List.of(problem), false, log);
            }
            PerMessageDeflateCodec codec = null;
            String extensions = response.header("sec-websocket-extensions");
            if (offers == null) {
                if (extensions != null) {
                    socket.close();
                    return Cases.brokenBeforeOpen(
                            List.of("server agreed an extension that was not offered: " + extensions), false, log);
                }
            } else if (extensions == null) {
                socket.close();
                return Cases.brokenBeforeOpen(List.of(), true, log);
            } else {
                try {
                    codec = DeflateNegotiation.checkResponse(offers, extensions).clientCodec();
                } catch (IllegalArgumentException e) {
                    socket.close();
                    return Cases.brokenBeforeOpen(List.of("bad negotiation: " + e.getMessage()), false, log);
                }
            }
            socket.setSoTimeout(0);
            PeerConnection connection = new PeerConnection(socket, in, PeerRole.CLIENT, codec, log, c.id().hashCode());
            connection.start("fuzzing-client-" + c.id());
            return new CaseRunner(c, connection, PeerRole.CLIENT).run(log);
        } finally {
            socket.close();
        }
    }

    private static String checkResponse(HttpHead response, String key) {
        if (!response.startLine().startsWith("HTTP/1.1 101")) {
            return "handshake refused: " + response.startLine();
        }
        if (!response.headerHasToken("upgrade", "websocket") || !response.headerHasToken("connection", "upgrade")) {
            return "101 without Upgrade: websocket / Connection: Upgrade: " + response;
        }
        String accept = response.header("sec-websocket-accept");
        if (!HttpHead.acceptFor(key).equals(accept)) {
            return "wrong Sec-WebSocket-Accept: " + accept;
        }
        return null;
    }
}
