package dev.wsflux.conformance;

import dev.wsflux.client.WebSocketClient;
import dev.wsflux.conformance.Verdict.Behavior;
import dev.wsflux.core.SessionOptions;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Plays Autobahn|Testsuite's fuzzing server against the wsflux client: for case N the client connects to
 * {@code /runCase?case=N&agent=wsflux} and echoes every message back (Autobahn's testee client protocol),
 * while the peer plays the case on that connection. Same grading and failure rule as {@link
 * ServerConformanceIT}; the summary also goes to {@code target/conformance-client.txt}.
 */
class ClientConformanceIT {

    /** The testee client: echoes every message with its type, maxSize raised for 9.x, compression on. */
    private static final WebSocketClient CLIENT = WebSocketClient.create()
            .compression(true)
            .noProxy()
            .options(SessionOptions.builder().maxSize(EchoTestee.MAX_SIZE).build());

    @Test
    void clientPassesEveryCaseStrictly() throws Exception {
        CaseCatalogue.Reduction reduction = CaseCatalogue.Reduction.fromSystemProperties();
        List<ConformanceCase> cases = CaseCatalogue.all(reduction);
        long start = System.nanoTime();
        List<Verdict> verdicts;
        try (FuzzingServer server = new FuzzingServer(cases)) {
            verdicts = ConformanceSuite.run(cases, i -> {
                int index = i + 1;
                try {
                    CLIENT.handle(server.caseUri(index, "wsflux"), session -> session.send(session.receive()))
                            // Cases where the client fails the connection end in errors: the peer grades them.
                            .onErrorResume(e -> reactor.core.publisher.Mono.empty())
                            // A client that hangs is graded by the peer too (it times the case out).
                            .timeout(cases.get(i).timeout().plusSeconds(10), reactor.core.publisher.Mono.empty())
                            .block();
                    return server.verdict(index).get(CaseRunner.CLOSE_WAIT.toSeconds() * 3, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    return new Verdict(
                            cases.get(i).id(),
                            Behavior.FAILED,
                            Verdict.CloseBehavior.FAILED,
                            Behavior.FAILED,
                            "the client never opened a connection for the case",
                            0,
                            List.of());
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException("case " + cases.get(i).id() + " did not complete: " + e, e);
                }
            });
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        ServerConformanceIT.report(
                "conformance-client.txt", "wsflux client (peer: fuzzing server)", cases, verdicts, millis, reduction);
    }
}
