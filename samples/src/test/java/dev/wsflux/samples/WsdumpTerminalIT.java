package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.testing.Await;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@code wsdump} in a pseudo-terminal (tmux), used as a person uses it: type a line and see the echo, then
 * Ctrl-D or Ctrl-C, reading the screen. Runs the shaded jar as {@code java -jar} against an echo server on
 * 127.0.0.1. Needs {@code tmux} (Debian package {@code tmux}; {@code .ci/run} installs it).
 */
class WsdumpTerminalIT {
    /** JVM start-up on a busy machine included. */
    private static final Duration SCREEN = Duration.ofSeconds(30);

    private static final String BANNER = "Press Ctrl+C to quit";

    /** The Close status each server session received, in order. */
    private final List<CloseStatus> closes = new CopyOnWriteArrayList<>();

    private RunningServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    /** Echoes each message; answers "bye" by closing with 1000 "bye". */
    private String echoServer() {
        server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(session -> session.send(session.receive()
                                .takeUntil(message ->
                                        message.isText() && message.text().equals("bye"))
                                .filter(message ->
                                        !(message.isText() && message.text().equals("bye"))))
                        .then(Mono.defer(() -> session.isOpen() ? session.close(1000, "bye") : Mono.empty()))
                        .then(session.closeStatus().doOnNext(closes::add))
                        .then())
                .bindNow();
        return "ws://127.0.0.1:" + server.port() + "/";
    }

    private static Tmux wsdump(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                SamplesJar.JAR.toAbsolutePath().toString(),
                "wsdump"));
        command.addAll(List.of(args));
        return Tmux.start(100, 24, command);
    }

    /** Waits for the banner and the prompt, types {@code line} and Enter, and waits for its echo. */
    private static void typeAndSeeTheEcho(Tmux terminal, String line, String echo) throws Exception {
        terminal.awaitScreen("the prompt", SCREEN, screen -> screen.equals(List.of(BANNER, ">")));
        terminal.type(line);
        terminal.keys("Enter");
        terminal.awaitScreen(
                "the echo and a new prompt", SCREEN, screen -> screen.equals(List.of(BANNER, "> " + line, echo, ">")));
    }

    @Test
    void ctrlDClosesWith1000AndLeavesNoPromptBehind() throws Exception {
        String url = echoServer();
        try (Tmux terminal = wsdump(url)) {
            typeAndSeeTheEcho(terminal, "hello", "< hello");
            terminal.keys("C-d");
            assertEquals(0, terminal.awaitExit(SCREEN), String.join("\n", terminal.screen()));
            assertEquals(List.of(BANNER, "> hello", "< hello"), terminal.screen());
            Await.until("the server saw the close", SCREEN, () -> !closes.isEmpty());
            assertEquals(new CloseStatus(1000, ""), closes.get(0));
        }
    }

    @Test
    void ctrlCClosesWith1001SaysSoAndExits130() throws Exception {
        String url = echoServer();
        try (Tmux terminal = wsdump("-v", url)) {
            typeAndSeeTheEcho(terminal, "hello", "< text: hello");
            terminal.keys("C-c");
            assertEquals(130, terminal.awaitExit(SCREEN), String.join("\n", terminal.screen()));
            assertEquals(
                    List.of(
                            BANNER,
                            "> hello",
                            "< text: hello",
                            "closing: interrupted",
                            "> CLOSE [2 bytes] 1001",
                            "< CLOSE [2 bytes] 1001",
                            "< close: 1001"),
                    terminal.screen());
            Await.until("the server saw the close", SCREEN, () -> !closes.isEmpty());
            assertEquals(new CloseStatus(1001, ""), closes.get(0));
        }
    }

    @Test
    void ctrlCExitsPromptlyWhenTheServerNeverAnswersTheClose() throws Exception {
        try (RawServer silent = RawServer.start(null, new byte[0]);
                Tmux terminal = wsdump(silent.url())) {
            terminal.awaitScreen("the prompt", SCREEN, screen -> screen.equals(List.of(BANNER, ">")));
            long start = System.nanoTime();
            terminal.keys("C-c");
            assertEquals(130, terminal.awaitExit(SCREEN), String.join("\n", terminal.screen()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "took " + took);
            assertEquals(List.of(BANNER, "closing: interrupted"), terminal.screen());
        }
    }

    @Test
    void theServersCloseEndsTheSessionWithoutAStrayPrompt() throws Exception {
        String url = echoServer();
        try (Tmux terminal = wsdump("-v", url)) {
            typeAndSeeTheEcho(terminal, "hello", "< text: hello");
            terminal.type("bye");
            terminal.keys("Enter");
            assertEquals(0, terminal.awaitExit(SCREEN), String.join("\n", terminal.screen()));
            assertEquals(
                    List.of(
                            BANNER,
                            "> hello",
                            "< text: hello",
                            "> bye",
                            "< CLOSE [5 bytes] 1000 bye",
                            "> CLOSE [2 bytes] 1000",
                            "< close: 1000 bye"),
                    terminal.screen());
        }
    }
}
