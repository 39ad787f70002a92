package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class AutobahnClientCommandIT {
    /**
     * A tiny fake of the Autobahn|Testsuite fuzzing server: three cases, each sending a text and a binary
     * message and checking the echoes; then the report request.
     */
    private static final class FakeFuzzingServer {
        final List<String> log = new CopyOnWriteArrayList<>();

        Mono<Void> handle(WebSocketSession session) {
            String path = session.handshakeRequest().path();
            if (path.equals("/getCaseCount")) {
                return session.send(Message.text("3"));
            }
            if (path.startsWith("/runCase?")) {
                List<Message> sent =
                        List.of(Message.text("case " + path), Message.binary(path.getBytes(StandardCharsets.UTF_8)));
                return session.send(Flux.fromIterable(sent))
                        .thenMany(session.receive().take(sent.size()))
                        .collectList()
                        .doOnNext(echoed -> log.add(path + (echoed.equals(sent) ? " echoed" : " wrong " + echoed)))
                        .then();
            }
            if (path.startsWith("/updateReports?")) {
                log.add(path);
                return Mono.empty();
            }
            return Mono.error(new IllegalArgumentException("unexpected path: " + path));
        }
    }

    @Test
    void runsEveryCaseAsAnEchoClientThenUpdatesTheReports() {
        FakeFuzzingServer fake = new FakeFuzzingServer();
        RunningServer server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(fake::handle)
                .bindNow();
        try {
            CliRun run = assertTimeoutPreemptively(
                    Duration.ofSeconds(60),
                    () -> CliRun.run(
                            "",
                            "autobahn-client",
                            "--url",
                            "ws://127.0.0.1:" + server.port(),
                            "--agent",
                            "wsflux test"));
            assertEquals(0, run.exit(), run.err());
            assertEquals(
                    List.of(
                            "/runCase?case=1&agent=wsflux+test echoed",
                            "/runCase?case=2&agent=wsflux+test echoed",
                            "/runCase?case=3&agent=wsflux+test echoed",
                            "/updateReports?agent=wsflux+test"),
                    fake.log);
            assertTrue(run.out().contains("case 3/3 done"), run.out());
            assertTrue(run.out().contains("reports updated for wsflux test (0 cases ended with an error)"), run.out());
        } finally {
            server.shutdownNow();
        }
    }
}
