package dev.wsflux.samples;

import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Mono;

/**
 * {@code autobahn-client}: the testee client of the Autobahn|Testsuite fuzzing server. Asks
 * {@code /getCaseCount}, runs {@code /runCase?case=N&agent=A} for every case as an echo client, then asks
 * {@code /updateReports?agent=A} to write the reports. A case whose connection ends in an error or with a
 * Close code other than 1000 (sent or received) is reported on standard error, with how it ended, and
 * counted in the last line; the run goes on: judging the case is the suite's job (some cases expect the
 * client to fail the connection). Not thread-safe; one per run.
 *
 * @see <a href="https://github.com/crossbario/autobahn-testsuite">Autobahn|Testsuite</a>
 */
@Command(
        name = "autobahn-client",
        mixinStandardHelpOptions = true,
        description = "Run every case of an Autobahn|Testsuite fuzzing server as an echo client.")
final class AutobahnClientCommand extends Main.Streams implements Callable<Integer> {
    /** The longest one case may take; the slowest 9.x cases move 16 MiB messages. */
    private static final Duration CASE_TIMEOUT = Duration.ofMinutes(5);

    @Option(names = "--url", required = true, paramLabel = "ws://H:P", description = "the fuzzing server")
    URI url;

    @Option(
            names = "--agent",
            defaultValue = "wsflux",
            description = "agent name in the reports (default: ${DEFAULT-VALUE})")
    String agent;

    @Option(
            names = "--max-size",
            defaultValue = "16777216",
            paramLabel = "BYTES",
            description = "largest message accepted, after decompression; the 9.x cases need 16 MiB (default:"
                    + " ${DEFAULT-VALUE})")
    long maxSize;

    @Override
    public Integer call() {
        WebSocketClient client = WebSocketClient.create()
                .noProxy()
                .options(SessionOptions.builder().maxSize(maxSize).build());
        int count =
                Integer.parseInt(firstText(client, endpoint("/getCaseCount")).strip());
        out.println("running " + count + " cases against " + url + " as " + agent);
        int failed = 0;
        for (int n = 1; n <= count; n++) {
            URI runCase = endpoint("/runCase?case=" + n + "&agent=" + encode(agent));
            AtomicReference<ConnectionClosedException> closed = new AtomicReference<>();
            String failure;
            try {
                client.handle(
                                runCase,
                                session -> echo(session).doOnNext(closed::set).then())
                        .block(CASE_TIMEOUT);
                failure = failure(closed.get());
            } catch (RuntimeException e) {
                failure = Main.describe(e);
            }
            if (failure != null) {
                failed++;
                err.println("case " + n + ": " + failure);
            }
            out.println("case " + n + "/" + count + " done");
        }
        client.handle(endpoint("/updateReports?agent=" + encode(agent)), session -> session.receive()
                        .then())
                .block(CASE_TIMEOUT);
        out.println("reports updated for " + agent + " (" + failed + " of " + count
                + " cases ended with an error or a close code other than 1000)");
        return 0;
    }

    /**
     * Echoes every message until the connection closes, then emits how it closed. A connection that fails
     * (either side) ends {@code send} with an error, which is not the case's failure: {@code closeDetails}
     * says how it ended.
     */
    static Mono<ConnectionClosedException> echo(WebSocketSession session) {
        return session.send(session.receive()).onErrorResume(e -> Mono.empty()).then(session.closeDetails());
    }

    /**
     * {@code null} when both Close frames carried 1000, else how the connection ended (the Close frames and
     * the cause of a failure, or that it ended without a Close frame).
     */
    static String failure(ConnectionClosedException closed) {
        if (closed == null) {
            return "the connection ended without a closing handshake";
        }
        boolean normal = closed.received() != null
                && closed.received().code() == CloseCodes.NORMAL_CLOSURE
                && closed.sent() != null
                && closed.sent().code() == CloseCodes.NORMAL_CLOSURE;
        return normal ? null : Main.describe(closed);
    }

    private static String firstText(WebSocketClient client, URI uri) {
        AtomicReference<String> text = new AtomicReference<>();
        client.handle(uri, session -> session.receive()
                        .next()
                        .map(Message::text)
                        .doOnNext(text::set)
                        .then())
                .block(CASE_TIMEOUT);
        if (text.get() == null) {
            throw new IllegalStateException("no case count from " + uri);
        }
        return text.get();
    }

    private URI endpoint(String pathAndQuery) {
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
