package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.server.RunningServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ChatServerCommandIT {
    private static final Duration STEP = Duration.ofSeconds(10);

    @Test
    void membersSeeJoinsMessagesAndLeaves() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            RunningServer server = CommandLine.populateCommand(new ChatServerCommand(), "--port", "0")
                    .start();
            try {
                Member ada = Member.join(server, "ada");
                assertEquals("* ada joined", ada.next());
                Member bob = Member.join(server, "bob");
                assertEquals("* bob joined", bob.next());
                assertEquals("* bob joined", ada.next());

                bob.session.send(Message.text("hi all")).block(STEP);
                assertEquals("bob: hi all", ada.next());
                assertEquals("bob: hi all", bob.next());

                bob.session.close().block(STEP);
                assertEquals("* bob left", ada.next());
                ada.session.close().block(STEP);
            } finally {
                server.shutdownNow();
            }
        });
    }

    @Test
    void jarPrintsWhereItListensAndStopsOnSigterm() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (SamplesJar chat =
                    SamplesJar.start("chat-server", "--port", "0", "--slow-consumer", "CLOSE_TRY_AGAIN_LATER")) {
                int port = chat.awaitPort();
                CliRun dump =
                        CliRun.run("hello\n", "wsdump", "--eof-wait", "1", "ws://127.0.0.1:" + port + "/?name=eve");
                assertEquals(List.of("< * eve joined", "< eve: hello"), dump.lines());
                chat.terminate();
            }
        });
    }

    @Test
    void nameDefaultsToTheSessionId() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            RunningServer server = CommandLine.populateCommand(new ChatServerCommand(), "--port", "0")
                    .start();
            try {
                WebSocketSession session = WebSocketClient.create()
                        .noProxy()
                        .connect(URI.create("ws://127.0.0.1:" + server.port() + "/"))
                        .block(STEP);
                String first = session.receive().next().map(Message::text).block(STEP);
                assertEquals(true, first.startsWith("* ") && first.endsWith(" joined") && first.length() > 10, first);
                session.close().block(STEP);
            } finally {
                server.shutdownNow();
            }
        });
    }

    /** A chat member: its session and the texts it received. */
    private record Member(WebSocketSession session, BlockingQueue<String> received) {
        static Member join(RunningServer server, String name) {
            WebSocketSession session = WebSocketClient.create()
                    .noProxy()
                    .connect(URI.create("ws://127.0.0.1:" + server.port() + "/chat?name=" + name))
                    .block(STEP);
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            session.receive().map(Message::text).subscribe(received::add, error -> {});
            return new Member(session, received);
        }

        String next() throws InterruptedException {
            return received.poll(STEP.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
