package dev.wsflux.samples;

import dev.wsflux.client.TlsOptions;
import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.http11.InvalidStatusException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Stack;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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
 * handshake prints {@code error: …} and exits 1; a connection closed with an error code exits 1 too.
 *
 * <p>On a terminal it prompts with {@code > }; on a pipe it reads lines silently. {@code -v} shows
 * message opcodes and the Close frame on standard output, and Ping, Pong and Close frames through the
 * frame trace on standard error ({@code -v 2}: every frame). Not thread-safe; one instance per run.
 */
@Command(
        name = "wsdump",
        mixinStandardHelpOptions = true,
        description = "WebSocket simple dump tool: send stdin lines as text messages, print what arrives.")
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
            description = "1: show opcodes and ping/pong/close frames; 2: trace every frame")
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

    /** How long closing may take before wsdump gives up: the default closeTimeout and some slack. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(15);

    /** Completes when standard input has ended and {@code --eof-wait} is over. */
    private final CompletableFuture<Void> eof = new CompletableFuture<>();

    private long start;
    private boolean interactive;

    /** The client these flags describe. */
    WebSocketClient client() {
        WebSocketClient client = WebSocketClient.create()
                .compression(!noCompression)
                .options(SessionOptions.builder().maxSize(maxSize).build());
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
        if (err == System.err) {
            // Only a real command line owns the JVM's logging; in-process runs (tests) leave it alone.
            FrameTraceFilter.install(verbose);
        }
        interactive = System.console() != null && in == System.in;
        WebSocketSession session;
        try {
            session = client().connect(url).block();
        } catch (RuntimeException e) {
            err.println("error: " + handshakeFailure(e));
            return 1;
        }
        if (session == null) {
            err.println("error: no connection to " + url);
            return 1;
        }
        start = System.nanoTime();
        if (interactive) {
            out.println("Press Ctrl+C to quit");
        }
        // receive() completes on a clean close and errors otherwise; either way closeStatus() then holds
        // the peer's Close frame (1006 when there was none).
        CompletableFuture<CloseStatus> closed = session.receive()
                .doOnNext(this::print)
                .then()
                .onErrorResume(error -> Mono.empty())
                .then(session.closeStatus())
                .defaultIfEmpty(new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, ""))
                .toFuture();
        Thread reader = new Thread(() -> readLines(session, closed), "wsdump-stdin");
        reader.setDaemon(true);
        reader.start();
        try {
            CompletableFuture.anyOf(closed, eof).get();
            if (!closed.isDone()) {
                session.close(CloseCodes.NORMAL_CLOSURE, "")
                        .onErrorResume(e -> Mono.empty())
                        .block(CLOSE_WAIT);
            }
            CloseStatus status = closed.get(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
            if (verbose > 0) {
                emit("close: " + status.code() + (status.reason().isEmpty() ? "" : " " + status.reason()));
            }
            return status.isOk() ? 0 : 1;
        } catch (ExecutionException | TimeoutException e) {
            err.println("error: the connection did not close: " + Main.describe(e));
            return 1;
        }
    }

    /** Sends {@code -t} and each stdin line; at EOF waits {@code --eof-wait} seconds, then signals {@link #eof}. */
    private void readLines(WebSocketSession session, CompletableFuture<CloseStatus> closed) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (text != null) {
                session.send(Message.text(text)).block();
            }
            prompt();
            for (String line = lines.readLine(); line != null && !closed.isDone(); line = lines.readLine()) {
                session.send(Message.text(line)).block();
                prompt();
            }
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
            out.println(message.isText() ? message.text() : MessageFormat.hex(message.payload()));
        } else {
            emit(verbose > 0 ? MessageFormat.withOpcode(message) : MessageFormat.payload(message));
        }
    }

    /** One line {@code < message}, with the timing first under {@code --timings}. */
    private void emit(String line) {
        String timing = timings ? String.format("%.6f: ", (System.nanoTime() - start) / 1e9) : "";
        out.println((interactive ? "\r" : "") + "< " + timing + line);
        prompt();
    }

    private void prompt() {
        if (interactive) {
            out.print("> ");
            out.flush();
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
