package dev.wsflux.samples;

import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
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
 * {@code /updateReports?agent=A} to write the reports. A case that ends in an error is reported on
 * standard error and the run goes on: judging it is the suite's job. Not thread-safe; one per run.
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
            description = "largest message accepted; the 9.x cases need 16 MiB (default: ${DEFAULT-VALUE})")
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
            try {
                client.handle(runCase, AutobahnClientCommand::echo).block(CASE_TIMEOUT);
            } catch (RuntimeException e) {
                failed++;
                err.println("case " + n + ": " + Main.describe(e));
            }
            out.println("case " + n + "/" + count + " done");
        }
        client.handle(endpoint("/updateReports?agent=" + encode(agent)), session -> session.receive()
                        .then())
                .block(CASE_TIMEOUT);
        out.println("reports updated for " + agent + " (" + failed + " cases ended with an error)");
        return 0;
    }

    /** Echoes every message until the server closes; a failed connection ends the case quietly. */
    static Mono<Void> echo(WebSocketSession session) {
        return session.send(session.receive()).onErrorResume(e -> Mono.empty());
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
