package dev.wsflux.samples;

import dev.wsflux.client.TlsOptions;
import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.FrameObserver;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reactor.core.publisher.Mono;

/**
 * {@code wsdump}: the interactive client of {@code websocket-client}'s {@code wsdump}, with the same
 * flags. Each line of standard input is sent as a text message; each received message is printed as
 * {@code < text} (control characters escaped; binary as hex; {@code -r} prints the bare payload). After
 * standard input ends it waits {@code --eof-wait} seconds, closes with 1000 and exits 0. A failed opening
 * handshake prints {@code error: …} and exits 1; a connection closed with an error code exits 1 too, and when
 * wsdump itself refused what the server sent (a message over {@code --max-size}, a protocol violation) it says
 * what and why on standard error. Ctrl+C closes with 1001, says {@code closing: interrupted} and exits 130.
 *
 * <p>On a terminal it prompts with {@code > } and keeps the prompt below what it prints; on a pipe it reads
 * lines silently. {@code -v} shows message opcodes and the close status on standard output, and the Ping,
 * Pong and Close frames on standard error as the session sends and receives them ({@code -v 2}: every frame),
 * from the session's {@link FrameObserver}. Not thread-safe; one instance per run.
 */
@Command(
        name = "wsdump",
        mixinStandardHelpOptions = true,
        description = "WebSocket simple dump tool: send stdin lines as text messages, print what arrives.",
        footer = {
            "",
            "Exit status: 0 after a normal close, 1 after an error (said on stderr) or a close with an error code,"
                    + " 130 after Ctrl+C (which closes with 1001)."
        })
final class WsdumpCommand extends Main.Streams implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "URL", description = "websocket url, e.g. ws://echo.example.org/")
    URI url;

    @Option(
            names = {"-p", "--proxy"},
            paramLabel = "PROXY_URL",
            description = "proxy url, e.g. http://127.0.0.1:8080 or socks5h://127.0.0.1:1080")
    String proxy;

    @Option(
            names = {"-v", "--verbose"},
            arity = "0..1",
            fallbackValue = "1",
            defaultValue = "0",
            paramLabel = "N",
            preprocessor = OptionalLevel.class,
            description = "1: show opcodes, and ping/pong/close frames on stderr; 2: every frame on stderr")
    int verbose;

    @Option(
            names = {"-n", "--nocert"},
            description = "do not check the server's certificate (insecure)")
    boolean noCert;

    @Option(
            names = {"-r", "--raw"},
            description = "raw output: the payload alone, without prefix or escaping")
    boolean raw;

    @Option(
            names = {"-s", "--subprotocols"},
            arity = "1..*",
            paramLabel = "SUBPROTOCOL",
            description = "subprotocols to offer")
    List<String> subprotocols;

    @Option(
            names = {"-o", "--origin"},
            description = "the Origin header")
    String origin;

    @Option(
            names = "--eof-wait",
            defaultValue = "0",
            paramLabel = "SECONDS",
            description = "seconds to wait for messages after stdin ends (default: ${DEFAULT-VALUE})")
    double eofWait;

    @Option(
            names = {"-t", "--text"},
            description = "send this text first")
    String text;

    @Option(names = "--timings", description = "print the seconds since connecting before each message")
    boolean timings;

    @Option(names = "--headers", paramLabel = "\"A: b,C: d\"", description = "extra request headers, comma-separated")
    String headers;

    @Option(names = "--no-compression", description = "do not offer permessage-deflate")
    boolean noCompression;

    @Option(
            names = "--max-size",
            paramLabel = "BYTES",
            description = "largest message accepted, after decompression (a compressed one may be larger on the"
                    + " wire); 0 for no limit (default: 1048576)")
    long maxSize = SessionOptions.DEFAULT_MAX_SIZE;

    /**
     * How long wsdump waits, once it has sent a Close, for the server to close TCP: 2 s, where the library
     * waits 10 s ({@link SessionOptions#DEFAULT_CLOSE_TIMEOUT}). After a Close, RFC 6455 §7.1.1 has the client
     * wait for the server to close TCP first, but "MAY close the connection at any time after sending and
     * receiving a Close message, e.g., if it has not received a TCP Close from the server in a reasonable time
     * period". For a command that exits right after, the wait only lets a server that answers print its Close
     * (and take the TIME_WAIT): 2 s covers that on any network a person types over, while a server that never
     * closes (one that broke the protocol, say) no longer holds the terminal for 10 s. The operating system
     * closes the socket at exit anyway.
     */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    /** How long closing may take before wsdump gives up: {@link #CLOSE_TIMEOUT} and slack. */
    private static final Duration CLOSE_WAIT = CLOSE_TIMEOUT.plusSeconds(3);

    /** The exit status after Ctrl+C (SIGINT): 128 + 2, as shells report a process that SIGINT ended. */
    static final int INTERRUPTED = 130;

    /** Completes when standard input has ended and {@code --eof-wait} is over. */
    private final CompletableFuture<Void> eof = new CompletableFuture<>();

    private long start;
    private WsdumpConsole console;
    // The message in progress in each direction, to preview its continuation frames (on the event loop).
    private Opcode receiving;
    private Opcode sending;

    /** The client these flags describe. */
    WebSocketClient client() {
        WebSocketClient client = WebSocketClient.create()
                .compression(!noCompression)
                .options(SessionOptions.builder()
                        .maxSize(maxSize)
                        .closeTimeout(CLOSE_TIMEOUT)
                        .build());
        if (verbose > 0) {
            // Frames come from the session itself: the Pongs and Closes it writes on its own included.
            client = client.frameObserver(session -> this::showFrame);
        }
        if (proxy != null) {
            client = client.proxy(proxy);
        }
        if (noCert) {
            client = client.tls(TlsOptions.insecure());
        }
        if (subprotocols != null) {
            client = client.subprotocols(subprotocols);
        }
        if (origin != null) {
            client = client.origin(origin);
        }
        if (headers != null) {
            for (String header : headers.split(",")) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException("header must look like \"Name: value\": \"" + header + "\"");
                }
                client = client.header(
                        header.substring(0, colon).trim(),
                        header.substring(colon + 1).trim());
            }
        }
        return client;
    }

    @Override
    public Integer call() throws InterruptedException {
        boolean interactive = System.console() != null && in == System.in;
        console = new WsdumpConsole(out, err, interactive);
        WebSocketSession session;
        try {
            session = client().connect(url).block();
        } catch (RuntimeException e) {
            console.err("error: " + handshakeFailure(e));
            return 1;
        }
        if (session == null) {
            console.err("error: no connection to " + url);
            return 1;
        }
        start = System.nanoTime();
        if (interactive) {
            console.out("Press Ctrl+C to quit");
        }
        // receive() completes on a clean close and errors otherwise; either way closeDetails() then holds both
        // Close frames and the cause of a failure.
        CompletableFuture<ConnectionClosedException> closed = session.receive()
                .doOnNext(this::print)
                .then()
                .onErrorResume(error -> Mono.empty())
                .then(session.closeDetails())
                .toFuture();
        Interruption interruption = new Interruption(session, closed);
        Runtime.getRuntime().addShutdownHook(interruption);
        try {
            Thread reader = new Thread(() -> readLines(session, closed), "wsdump-stdin");
            reader.setDaemon(true);
            reader.start();
            CompletableFuture.anyOf(closed, eof).get();
            if (!closed.isDone()) {
                session.close(CloseCodes.NORMAL_CLOSURE, "")
                        .onErrorResume(e -> Mono.empty())
                        .block(CLOSE_WAIT);
            }
            ConnectionClosedException details = closed.get(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
            console.endInput();
            CloseStatus status =
                    details.received() != null ? details.received() : new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, "");
            if (verbose > 0) {
                emit("close: " + status.code()
                        + (status.reason().isEmpty() ? "" : " " + MessageFormat.escape(status.reason())));
            }
            String refused = refusal(details);
            if (refused != null) {
                console.err("error: " + refused);
            }
            if (interruption.started) {
                return INTERRUPTED;
            }
            return status.isOk() ? 0 : 1;
        } catch (ExecutionException | TimeoutException e) {
            console.endInput();
            console.err("error: the connection did not close: " + Main.describe(e));
            return interruption.started ? INTERRUPTED : 1;
        } finally {
            interruption.finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(interruption);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl+C: the hook is running and waits for this finally block.
            }
        }
    }

    /**
     * What wsdump refused, from the closing details, or {@code null} when it did not fail the connection: the
     * Close it sent first with an error code, and why, such as {@code refused a message from the server:
     * message too big: 2000 bytes exceeds limit of 1000 bytes (1009)}.
     */
    static String refusal(ConnectionClosedException details) {
        CloseStatus sent = details.sent();
        if (sent == null || sent.isOk() || Boolean.TRUE.equals(details.receivedThenSent())) {
            return null; // no Close, a normal one, or the echo of the server's
        }
        Throwable cause = details.getCause();
        String why = MessageFormat.escape(
                cause instanceof WebSocketProtocolException violation
                        ? violation.getMessage()
                        : cause != null ? Main.describe(cause) : sent.reason());
        String what =
                switch (sent.code()) {
                    case CloseCodes.MESSAGE_TOO_BIG, CloseCodes.INVALID_PAYLOAD -> "refused a message from the server";
                    case CloseCodes.PROTOCOL_ERROR -> "refused what the server sent";
                    default -> "failed the connection";
                };
        return what + ": " + why + " (" + sent.code() + ")";
    }

    /** Sends {@code -t} and each stdin line; at EOF waits {@code --eof-wait} seconds, then signals {@link #eof}. */
    private void readLines(WebSocketSession session, CompletableFuture<?> closed) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (text != null) {
                session.send(Message.text(text)).block();
            }
            console.prompt();
            for (String line = lines.readLine(); line != null && !closed.isDone(); line = lines.readLine()) {
                console.lineRead();
                session.send(Message.text(line)).block();
                console.prompt();
            }
            console.endInput();
            closed.get((long) (eofWait * 1000), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // --eof-wait is over while the connection is still open: call() closes it.
        } catch (IOException | ExecutionException | RuntimeException e) {
            // The connection closed under us: call() reports how.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eof.complete(null);
    }

    private void print(Message message) {
        if (raw) {
            console.out(message.isText() ? message.text() : MessageFormat.hex(message.payload()));
        } else {
            emit(verbose > 0 ? MessageFormat.withOpcode(message) : MessageFormat.payload(message));
        }
    }

    /** One line {@code < message}, with the timing first under {@code --timings}. */
    private void emit(String line) {
        String timing = timings ? String.format("%.6f: ", (System.nanoTime() - start) / 1e9) : "";
        console.out("< " + timing + line);
    }

    /**
     * Shows a frame of the session on standard error (on the event loop): control frames from {@code -v 1},
     * every frame from {@code -v 2}.
     */
    private void showFrame(
            FrameObserver.Direction direction, Opcode opcode, boolean fin, int rsvBits, ByteBuffer payload) {
        boolean received = direction == FrameObserver.Direction.RECEIVED;
        Opcode message = received ? receiving : sending;
        if (opcode.isData()) {
            if (opcode != Opcode.CONTINUATION) {
                message = opcode;
            }
            if (received) {
                receiving = fin ? null : message;
            } else {
                sending = fin ? null : message;
            }
        }
        if (verbose >= 2 || opcode.isControl()) {
            console.err(MessageFormat.frame(
                    direction, opcode, fin, rsvBits, payload, opcode.isData() && message == Opcode.TEXT));
        }
    }

    /**
     * Ctrl+C (SIGINT, or SIGTERM): a JVM shutdown hook that says so, closes the session with 1001 (going away)
     * and waits, at most {@link #CLOSE_WAIT}, for the close and for {@link #call()} to print how it ended; the
     * JVM then exits with {@value #INTERRUPTED}. Removed when {@code call()} returns without it.
     */
    private final class Interruption extends Thread {
        final CountDownLatch finished = new CountDownLatch(1);
        private final WebSocketSession session;
        private final CompletableFuture<?> closed;
        volatile boolean started;

        Interruption(WebSocketSession session, CompletableFuture<?> closed) {
            super("wsdump-interrupted");
            this.session = session;
            this.closed = closed;
        }

        @Override
        public void run() {
            started = true;
            console.endInput();
            if (!closed.isDone()) {
                console.err("closing: interrupted");
                try {
                    session.close(CloseCodes.GOING_AWAY, "").block(CLOSE_WAIT);
                } catch (RuntimeException e) {
                    // Not closed in time, or already closed: the exit goes on.
                }
            }
            try {
                finished.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Lets {@code -v} take its level only from a number: {@code wsdump -v ws://host/} means level 1 and
     * the URL, as in {@code websocket-client}'s {@code wsdump}.
     */
    static final class OptionalLevel implements CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(
                Stack<String> args,
                CommandLine.Model.CommandSpec command,
                CommandLine.Model.ArgSpec option,
                Map<String, Object> info) {
            if (" ".equals(info.get("separator"))
                    && (args.isEmpty() || !args.peek().matches("\\d+"))) {
                args.push("1"); // as if the user had typed -v 1
            }
            return false;
        }
    }

    /** What went wrong while opening the connection, for a person. */
    static String handshakeFailure(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null
                && cause.getCause() != cause
                && !(cause instanceof dev.wsflux.protocol.frames.WebSocketException)) {
            cause = cause.getCause();
        }
        if (cause instanceof InvalidStatusException status) {
            String body = status.response().bodyText();
            return "handshake failed: server answered HTTP " + status.status() + " "
                    + status.response().reason()
                    + (body == null || body.isBlank() ? "" : ": " + MessageFormat.escape(body.strip()));
        }
        return "handshake failed: " + Main.describe(cause);
    }
}
