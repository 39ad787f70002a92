package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
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
        void verboseOneShowsPingPongAndCloseButNotDataFramesInTheJar() {
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
                    String frames = err.toString(StandardCharsets.UTF_8);
                    assertEquals(
                            List.of("< text: hi", "< close: 1000"), out.lines().toList(), frames);
                    assertEquals(
                            List.of(
                                    "< PING [2 bytes] 6869",
                                    "> PONG [2 bytes] 6869",
                                    "> CLOSE [2 bytes] 1000",
                                    "< CLOSE [2 bytes] 1000"),
                            frames.lines().toList());
                }
            });
        }
    }

    /** The frames of the session, from its frame observer: ours and the server's, the ones it writes itself. */
    @Nested
    class Frames {
        private static final String HELLO = "hello";

        /** Echoes the first message, pings ("hi"), waits for the Pong and closes with 1000 "done". */
        private RunningServer pingingServer() {
            return WebSocketServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .handle(session -> session.receive()
                            .next()
                            .flatMap(session::send)
                            .then(session.ping(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII))))
                            .then(session.close(1000, "done")))
                    .bindNow();
        }

        private CliRun run(RunningServer server, String verbosity) {
            return CliRun.run(
                    "", "wsdump", "-v", verbosity, "-t", HELLO, "--eof-wait", "10", "ws://127.0.0.1:" + server.port());
        }

        @Test
        void verboseOneShowsThePingPongAndCloseFramesOfBothSidesOnStandardError() {
            RunningServer server = pingingServer();
            try {
                CliRun run = run(server, "1");
                assertEquals(0, run.exit(), run.err());
                assertEquals(List.of("< text: hello", "< close: 1000 done"), run.lines());
                assertEquals(
                        List.of(
                                "< PING [2 bytes] 6869",
                                "> PONG [2 bytes] 6869",
                                "< CLOSE [6 bytes] 1000 done",
                                "> CLOSE [2 bytes] 1000"),
                        run.err().lines().toList());
            } finally {
                server.shutdownNow();
            }
        }

        @Test
        void verboseTwoShowsEveryFrame() {
            RunningServer server = pingingServer();
            try {
                CliRun run = run(server, "2");
                assertEquals(0, run.exit(), run.err());
                assertEquals(
                        List.of(
                                "> TEXT fin [5 bytes] \"hello\"",
                                "< TEXT fin [5 bytes] \"hello\"",
                                "< PING [2 bytes] 6869",
                                "> PONG [2 bytes] 6869",
                                "< CLOSE [6 bytes] 1000 done",
                                "> CLOSE [2 bytes] 1000"),
                        run.err().lines().toList());
            } finally {
                server.shutdownNow();
            }
        }

        @Test
        void theFrameTraceLoggerShowsThePongAndCloseTheSessionWrites() throws Exception {
            RunningServer server = pingingServer();
            try {
                Process dump = new ProcessBuilder(
                                java(),
                                "-Dorg.slf4j.simpleLogger.log.dev.wsflux.core.FrameTrace=debug",
                                "-jar",
                                SamplesJar.JAR.toString(),
                                "wsdump",
                                "-t",
                                HELLO,
                                "--eof-wait",
                                "10",
                                "ws://127.0.0.1:" + server.port())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(dump.getErrorStream()));
                String out = readAll(dump.getInputStream());
                assertTrue(dump.waitFor(30, TimeUnit.SECONDS), "wsdump did not exit");
                String log = err.get(30, TimeUnit.SECONDS);
                assertEquals(List.of("< hello"), out.lines().toList(), log);
                for (String frame : List.of(
                        "< PING fin [2 bytes] 6869",
                        "> PONG fin [2 bytes] 6869",
                        "< CLOSE fin [6 bytes] 1000 \"done\"",
                        "> CLOSE fin [2 bytes] 1000")) {
                    assertTrue(
                            log.lines()
                                    .anyMatch(line -> line.contains("DEBUG " + "dev.wsflux.core.FrameTrace - [")
                                            && line.endsWith("] " + frame)),
                            frame + " in\n" + log);
                }
            } finally {
                server.shutdownNow();
            }
        }
    }

    /**
     * What wsdump itself refuses, from servers on raw sockets that never close TCP: it says what and why on
     * standard error, exits 1, and does not wait out the library's 10 s close timeout.
     */
    @Nested
    class Refusals {
        private CliRun refused(RawServer server, String... options) {
            List<String> args = new java.util.ArrayList<>(List.of("wsdump"));
            args.addAll(List.of(options));
            args.add(server.url());
            long start = System.nanoTime();
            CliRun run = CliRun.run("", args.toArray(String[]::new));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(1, run.exit(), run.err());
            assertTrue(
                    took.compareTo(Duration.ofSeconds(5)) < 0,
                    "took " + took + ": wsdump waits " + WsdumpCommand.CLOSE_TIMEOUT + " for the server to close");
            return run;
        }

        @Test
        void aMessageOverMaxSize() throws Exception {
            byte[] frame = new byte[2 + 2 + 2000];
            frame[0] = (byte) 0x82; // binary, fin
            frame[1] = 126; // 16-bit length follows
            frame[2] = (byte) (2000 >> 8);
            frame[3] = (byte) (2000 & 0xFF);
            try (RawServer server = RawServer.start(null, frame)) {
                CliRun run = refused(server, "--max-size", "1000", "--eof-wait", "10");
                assertEquals(List.of(), run.lines());
                assertEquals(
                        "error: refused a message from the server: message too big: 2000 bytes exceeds limit of 1000"
                                + " bytes (1009)\n",
                        run.err());
            }
        }

        @Test
        void aDecompressionBomb() throws Exception {
            byte[] compressed = deflate(new byte[1 << 20]); // 1 MiB of zeros in about a kilobyte
            byte[] frame = new byte[2 + 2 + compressed.length];
            frame[0] = (byte) 0xC2; // binary, fin, rsv1: compressed
            frame[1] = 126;
            frame[2] = (byte) (compressed.length >> 8);
            frame[3] = (byte) (compressed.length & 0xFF);
            System.arraycopy(compressed, 0, frame, 4, compressed.length);
            try (RawServer server = RawServer.start("permessage-deflate", frame)) {
                CliRun run = refused(server, "-v", "--max-size", "1000", "--eof-wait", "10");
                assertEquals(List.of("< close: 1006"), run.lines());
                assertEquals(
                        List.of(
                                "> CLOSE [39 bytes] 1009 message too big: more than 1000 bytes",
                                "error: refused a message from the server: message too big: more than 1000 bytes (1009)"),
                        run.err().lines().toList());
            }
        }

        @Test
        void aProtocolViolation() throws Exception {
            byte[] frame = {(byte) 0xA1, 2, 'h', 'i'}; // text with RSV2, which no extension defines
            try (RawServer server = RawServer.start(null, frame)) {
                CliRun run = refused(server, "--eof-wait", "10");
                assertEquals("error: refused what the server sent: unexpected reserved bits: RSV2 (1002)\n", run.err());
            }
        }

        /** A compressed message's payload (RFC 7692 §7.2.1): raw DEFLATE, sync-flushed, without its 00 00 ff ff. */
        private static byte[] deflate(byte[] data) {
            java.util.zip.Deflater deflater = new java.util.zip.Deflater(9, true);
            try {
                deflater.setInput(data);
                byte[] buffer = new byte[data.length];
                int length = deflater.deflate(buffer, 0, buffer.length, java.util.zip.Deflater.SYNC_FLUSH);
                return java.util.Arrays.copyOf(buffer, length - 4);
            } finally {
                deflater.end();
            }
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

    private static String readAll(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String java() {
        return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                .toString();
    }
}
