package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class WsdumpCommandIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Nested
    class AgainstPythonWebsockets {
        @Test
        void echoesTextAndShowsBinaryAsHex() {
            assertTimeoutPreemptively(LIMIT, () -> {
                try (PythonServer server = PythonServer.start()) {
                    CliRun run = CliRun.run("hello\nbinary please\n", "wsdump", "--eof-wait", "1", server.url("/"));
                    assertEquals(0, run.exit(), run.err());
                    assertEquals(List.of("< hello", "< binary please", "< 0001fe"), run.lines());
                }
            });
        }

        @Test
        void verboseShowsOpcodesAndTheCloseFrame() {
            assertTimeoutPreemptively(LIMIT, () -> {
                try (PythonServer server = PythonServer.start()) {
                    CliRun run = CliRun.run("close please\n", "wsdump", "-v", "--eof-wait", "5", server.url("/"));
                    assertEquals(List.of("< close: 4000 bye"), run.lines());
                    // 4000 is not an OK closure: wsdump says so with its status.
                    assertEquals(1, run.exit());
                }
            });
        }

        @Test
        void sendsInitialTextSubprotocolOriginAndHeaders() {
            assertTimeoutPreemptively(LIMIT, () -> {
                try (PythonServer server = PythonServer.start()) {
                    CliRun run = CliRun.run(
                            "",
                            "wsdump",
                            "-t",
                            "first",
                            "-o",
                            "http://example.test",
                            "--headers",
                            "X-One: 1,X-Two: two",
                            "--no-compression",
                            "--eof-wait",
                            "1",
                            server.url("/"));
                    assertEquals(0, run.exit(), run.err());
                    assertEquals(List.of("< first"), run.lines());
                }
            });
        }

        @Test
        void rejectedHandshakeIsAClearErrorAndStatusOne() {
            assertTimeoutPreemptively(LIMIT, () -> {
                try (PythonServer server = PythonServer.start()) {
                    CliRun run = CliRun.run("", "wsdump", server.url("/forbidden"));
                    assertEquals(1, run.exit());
                    assertEquals("", run.out());
                    assertEquals("error: handshake failed: server answered HTTP 403 Forbidden: go away\n", run.err());
                }
            });
        }

        @Test
        void verboseOneTracesPingPongAndCloseButNotDataFramesInTheJar() {
            assertTimeoutPreemptively(LIMIT, () -> {
                try (PythonServer server = PythonServer.start()) {
                    Process dump = new ProcessBuilder(
                                    java(),
                                    "-jar",
                                    SamplesJar.JAR.toString(),
                                    "wsdump",
                                    "-v",
                                    "1",
                                    "--eof-wait",
                                    "1",
                                    server.url("/"))
                            .start();
                    dump.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
                    dump.getOutputStream().close();
                    ByteArrayOutputStream err = new ByteArrayOutputStream();
                    dump.getErrorStream().transferTo(err);
                    String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(dump.waitFor(30, TimeUnit.SECONDS));
                    String trace = err.toString(StandardCharsets.UTF_8);
                    assertEquals(
                            List.of("< text: hi", "< close: 1000"), out.lines().toList(), trace);
                    assertTrue(trace.contains("< PING fin [2 bytes] 6869"), trace);
                    assertTrue(trace.contains("< CLOSE fin [2 bytes] 1000"), trace);
                    assertTrue(!trace.contains("TEXT"), trace);
                }
            });
        }
    }

    @Test
    void connectionRefusedIsAClearErrorAndStatusOne() throws Exception {
        int port;
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        CliRun run = CliRun.run("", "wsdump", "ws://127.0.0.1:" + port + "/");
        assertEquals(1, run.exit());
        assertTrue(run.err().startsWith("error: handshake failed: "), run.err());
    }

    @Test
    void rawPrintsBarePayloadsWithTheirControlCharacters() {
        RunningServer server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(session -> session.send(Flux.just(Message.text("a\tb"), Message.binary(new byte[] {1, 2})))
                        .then(session.close()))
                .bindNow();
        try {
            CliRun raw = CliRun.run("", "wsdump", "-r", "--eof-wait", "5", "ws://127.0.0.1:" + server.port() + "/");
            assertEquals(0, raw.exit(), raw.err());
            assertEquals(List.of("a\tb", "0102"), raw.lines());
            CliRun escaped = CliRun.run("", "wsdump", "--eof-wait", "5", "ws://127.0.0.1:" + server.port() + "/");
            assertEquals(List.of("< a\\tb", "< 0102"), escaped.lines());
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void maxSizeCountsTheBytesAfterDecompression() {
        // random bytes: compressed, they are larger on the wire than --max-size
        byte[] exact = new byte[1000];
        new Random(16).nextBytes(exact);
        RunningServer server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(session -> session.send(Message.binary(exact))
                        .then(session.receive().then()))
                .bindNow();
        try {
            String url = "ws://127.0.0.1:" + server.port() + "/";
            CliRun accepted = CliRun.run("", "wsdump", "--max-size", "1000", "--eof-wait", "5", url);
            assertEquals(List.of("< " + HexFormat.of().formatHex(exact)), accepted.lines(), accepted.err());
            assertEquals(0, accepted.exit(), accepted.err());
            CliRun refused = CliRun.run("", "wsdump", "--max-size", "999", "--eof-wait", "5", url);
            assertEquals(List.of(), refused.lines(), refused.err());
            assertEquals(1, refused.exit());
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void timingsPrefixEachMessageWithSecondsSinceConnecting() {
        RunningServer server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(session -> session.send(session.receive()))
                .bindNow();
        try {
            CliRun run = CliRun.run(
                    "x\n", "wsdump", "--timings", "--eof-wait", "1", "ws://127.0.0.1:" + server.port() + "/");
            assertEquals(0, run.exit(), run.err());
            assertEquals(1, run.lines().size(), run.out());
            assertTrue(run.lines().get(0).matches("< \\d+\\.\\d{6}: x"), run.out());
        } finally {
            server.shutdownNow();
        }
    }

    private static String java() {
        return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString();
    }
}
