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
     * A tiny fake of the Autobahn|Testsuite fuzzing server: {@code count} cases, each sending a text and a
     * binary message and checking the echoes; then the report request. Case 2 of a run {@code withFailures}
     * then closes with 1011, and its case 3 sends a 2,000-byte message, more than the client's 1,024-byte limit.
     */
    private static final class FakeFuzzingServer {
        final List<String> log = new CopyOnWriteArrayList<>();
        private final int count;
        private final boolean withFailures;

        FakeFuzzingServer(int count, boolean withFailures) {
            this.count = count;
            this.withFailures = withFailures;
        }

        Mono<Void> handle(WebSocketSession session) {
            String path = session.handshakeRequest().path();
            if (path.equals("/getCaseCount")) {
                return session.send(Message.text(Integer.toString(count)));
            }
            if (withFailures && path.startsWith("/runCase?case=3&")) {
                return session.send(Message.binary(new byte[2000]))
                        .then(session.closeStatus())
                        .doOnNext(status -> log.add(path + " closed by the client with " + status.code()))
                        .then();
            }
            if (path.startsWith("/runCase?")) {
                List<Message> sent =
                        List.of(Message.text("case " + path), Message.binary(path.getBytes(StandardCharsets.UTF_8)));
                Mono<Void> echoes = session.send(Flux.fromIterable(sent))
                        .thenMany(session.receive().take(sent.size()))
                        .collectList()
                        .doOnNext(echoed -> log.add(path + (echoed.equals(sent) ? " echoed" : " wrong " + echoed)))
                        .then();
                return withFailures && path.startsWith("/runCase?case=2&")
                        ? echoes.then(session.close(1011, "fuzzing server failed"))
                        : echoes;
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
        FakeFuzzingServer fake = new FakeFuzzingServer(3, false);
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
            assertTrue(
                    run.out()
                            .contains("reports updated for wsflux test"
                                    + " (0 of 3 cases ended with an error or a close code other than 1000)"),
                    run.out());
            assertEquals("", run.err());
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void countsAndReportsTheCasesWhoseConnectionEndedWithAnErrorOrACloseOtherThan1000() {
        FakeFuzzingServer fake = new FakeFuzzingServer(4, true);
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
                            "a",
                            "--max-size",
                            "1024"));
            assertEquals(0, run.exit(), run.err());
            assertEquals(
                    List.of(
                            "/runCase?case=1&agent=a echoed",
                            "/runCase?case=2&agent=a echoed",
                            "/runCase?case=3&agent=a closed by the client with 1009",
                            "/runCase?case=4&agent=a echoed",
                            "/updateReports?agent=a"),
                    fake.log);
            assertTrue(run.out().contains("case 4/4 done"), run.out());
            assertTrue(
                    run.out()
                            .contains("reports updated for a"
                                    + " (2 of 4 cases ended with an error or a close code other than 1000)"),
                    run.out());
            List<String> errors = run.err().lines().toList();
            assertEquals(2, errors.size(), run.err());
            // the server's Close, echoed; then our own failure, with its cause
            assertTrue(errors.get(0).startsWith("case 2: ") && errors.get(0).contains("1011"), run.err());
            assertTrue(errors.get(1).startsWith("case 3: ") && errors.get(1).contains("1009"), run.err());
            assertTrue(errors.get(1).contains("message too big"), run.err());
        } finally {
            server.shutdownNow();
        }
    }
}
