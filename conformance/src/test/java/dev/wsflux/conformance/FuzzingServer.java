package dev.wsflux.conformance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Autobahn's fuzzing server: the client under test connects to {@code /runCase?case=N&agent=A} (N is the
 * 1-based index of the case in the catalogue) and echoes every message; the peer plays case N on that
 * connection and grades it. Thread-safe; close it to stop accepting.
 */
public final class FuzzingServer implements AutoCloseable {

    private final List<ConformanceCase> cases;
    private final ServerSocket serverSocket;
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fuzzing-server-connection");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Integer, CompletableFuture<Verdict>> verdicts = new ConcurrentHashMap<>();

    /** Binds 127.0.0.1 on a free port and starts accepting. */
    public FuzzingServer(List<ConformanceCase> cases) throws IOException {
        this.cases = List.copyOf(cases);
        this.serverSocket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fuzzing-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The bound port. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** The URI the testee client must connect to for case {@code index} (1-based). */
    public URI caseUri(int index, String agent) {
        return URI.create("ws://127.0.0.1:" + port() + "/runCase?case=" + index + "&agent=" + agent);
    }

    /** The verdict of case {@code index}, completed when the testee has connected and the case has run. */
    public CompletableFuture<Verdict> verdict(int index) {
        return verdicts.computeIfAbsent(index, i -> new CompletableFuture<>());
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                workers.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        long start = System.nanoTime();
        WireLog log = new WireLog();
        int index = -1;
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000); // handshake only
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            HttpHead request = HttpHead.read(in);
            log.add("← " + request);
            index = caseIndex(request.startLine());
            if (index < 1 || index > cases.size()) {
                respond(socket.getOutputStream(), "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", log);
                return;
            }
            ConformanceCase c = cases.get(index - 1);
            CaseRecord record = play(c, socket, in, request, log);
            long millis = (System.nanoTime() - start) / 1_000_000;
            verdict(index).complete(Grader.grade(c, record, PeerRole.SERVER, millis));
        } catch (IOException | RuntimeException e) {
            log.add("! " + e);
            if (index >= 1 && index <= cases.size()) {
                CaseRecord record = Cases.brokenBeforeOpen(List.of("connection failed: " + e), false, log);
                long millis = (System.nanoTime() - start) / 1_000_000;
                verdict(index).complete(Grader.grade(cases.get(index - 1), record, PeerRole.SERVER, millis));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CaseRecord play(ConformanceCase c, Socket socket, InputStream in, HttpHead request, WireLog log)
            throws IOException, InterruptedException {
        OutputStream out = socket.getOutputStream();
        String key = request.header("sec-websocket-key");
        if (!request.startLine().startsWith("GET ")
                || !request.headerHasToken("upgrade", "websocket")
                || !request.headerHasToken("connection", "upgrade")
                || !"13".equals(request.header("sec-websocket-version"))
                || key == null) {
            respond(out, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", log);
            return Cases.brokenBeforeOpen(List.of("invalid upgrade request: " + request), false, log);
        }
        StringBuilder response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n")
                .append("Upgrade: websocket\r\n")
                .append("Connection: Upgrade\r\n")
                .append("Sec-WebSocket-Accept: ")
                .append(HttpHead.acceptFor(key))
                .append("\r\n");
        PerMessageDeflateCodec codec = null;
        boolean deflateMissing = false;
        if (c.deflate() != null) {
            Optional<Map.Entry<String, DeflateNegotiation.Agreed>> accepted = DeflateNegotiation.accept(
                    Cases.acceptancesOf(c.deflate()), request.header("sec-websocket-extensions"));
            if (accepted.isPresent()) {
                response.append("Sec-WebSocket-Extensions: ")
                        .append(accepted.get().getKey())
                        .append("\r\n");
                codec = accepted.get().getValue().serverCodec();
            } else {
                deflateMissing = true;
            }
        }
        response.append("\r\n");
        respond(out, response.toString(), log);
        socket.setSoTimeout(0);
        PeerConnection connection = new PeerConnection(socket, in, PeerRole.SERVER, codec, log, c.id().hashCode());
        connection.start("fuzzing-server-" + c.id());
        if (deflateMissing) {
            connection.sendClose(new byte[] {0x03, (byte) 0xE8});
            connection.awaitClose(System.nanoTime() + CaseRunner.CLOSE_WAIT.toNanos());
            connection.closeTcp();
            return Cases.brokenBeforeOpen(List.of(), true, log);
        }
        return new CaseRunner(c, connection, PeerRole.SERVER).run(log);
    }

    private static void respond(OutputStream out, String response, WireLog log) throws IOException {
        log.add("→ " + response.replace("\r\n", " | "));
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static int caseIndex(String requestLine) {
        String[] parts = requestLine.split(" ");
        if (parts.length < 2 || !parts[1].startsWith("/runCase?")) {
            return -1;
        }
        for (String param : parts[1].substring("/runCase?".length()).split("&")) {
            if (param.startsWith("case=")) {
                try {
                    return Integer.parseInt(param.substring(5));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        serverSocket.close();
        workers.shutdownNow();
    }
}
