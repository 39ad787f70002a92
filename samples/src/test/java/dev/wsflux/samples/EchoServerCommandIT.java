package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.testing.PeerTools;
import dev.wsflux.server.RunningServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import reactor.core.publisher.Flux;

class EchoServerCommandIT {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void jarEchoesWsdumpLinesAndStopsCleanlyOnSigterm() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (SamplesJar server = SamplesJar.start("echo-server", "--host", "127.0.0.1", "--port", "0")) {
                int port = server.awaitPort();
                CliRun dump = CliRun.run("hello\nworld\n", "wsdump", "--eof-wait", "1", "ws://127.0.0.1:" + port + "/");
                assertEquals(0, dump.exit(), dump.err());
                assertEquals(List.of("< hello", "< world"), dump.lines());

                WebSocketSession idle = WebSocketClient.create()
                        .noProxy()
                        .connect(URI.create("ws://127.0.0.1:" + port + "/"))
                        .block(Duration.ofSeconds(10));
                server.terminate();
                assertFalse(server.isAlive());
                // A clean stop: open sessions get 1001 "going away", not a dropped connection.
                assertEquals(
                        1001, idle.closeStatus().block(Duration.ofSeconds(10)).code());
            }
        });
    }

    @Test
    void maxSizeRejectsLargerMessagesWith1009() {
        RunningServer server = bind("--port", "0", "--max-size", "16");
        try {
            CliRun dump = CliRun.run(
                    "short\nthis line is longer than sixteen bytes\n",
                    "wsdump",
                    "-v",
                    "ws://127.0.0.1:" + server.port() + "/");
            assertEquals(2, dump.lines().size(), dump.out());
            assertEquals("< text: short", dump.lines().get(0));
            assertTrue(dump.lines().get(1).startsWith("< close: 1009"), dump.out());
            assertEquals(1, dump.exit());
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void maxSizeCountsTheBytesAfterDecompression() {
        // random bytes: compressed, they are larger on the wire than --max-size
        byte[] exact = new byte[1000];
        byte[] over = new byte[1001];
        new Random(16).nextBytes(exact);
        new Random(17).nextBytes(over);
        RunningServer server = bind("--port", "0", "--max-size", "1000");
        try {
            WebSocketSession session = WebSocketClient.create()
                    .noProxy()
                    .connect(URI.create("ws://127.0.0.1:" + server.port() + "/"))
                    .block(Duration.ofSeconds(10));
            assertEquals(List.of("permessage-deflate"), session.extensions());
            Flux<Message> received =
                    session.receive().onErrorResume(e -> Flux.empty()).cache();
            received.subscribe();
            session.send(Flux.just(Message.binary(exact), Message.binary(over))).block(Duration.ofSeconds(10));
            assertEquals(List.of(Message.binary(exact)), received.collectList().block(Duration.ofSeconds(10)));
            assertEquals(
                    1009, session.closeStatus().block(Duration.ofSeconds(10)).code());
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void noCompressionDeclinesPermessageDeflate() {
        RunningServer plain = bind("--port", "0", "--no-compression");
        RunningServer deflate = bind("--port", "0");
        try {
            assertEquals(List.of(), extensionsOf("ws://127.0.0.1:" + plain.port() + "/"));
            assertEquals(List.of("permessage-deflate"), extensionsOf("ws://127.0.0.1:" + deflate.port() + "/"));
        } finally {
            plain.shutdownNow();
            deflate.shutdownNow();
        }
    }

    @Test
    void tlsServesWssFromPemFiles(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        PeerTools.requireExecutable(Path.of("/usr/bin/openssl"), "openssl");
        Process openssl = new ProcessBuilder(
                        "/usr/bin/openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=localhost",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl failed");
        RunningServer server = bind("--port", "0", "--tls-cert", cert.toString(), "--tls-key", key.toString());
        try {
            String url = "wss://127.0.0.1:" + server.port() + "/";
            CliRun insecure = CliRun.run("secret\n", "wsdump", "-n", url);
            assertEquals(0, insecure.exit(), insecure.err());
            assertEquals(List.of("< secret"), insecure.lines());
            // Without -n the self-signed certificate does not verify: a clear error, status 1.
            CliRun checked = CliRun.run("secret\n", "wsdump", url);
            assertEquals(1, checked.exit());
            assertTrue(checked.err().startsWith("error: handshake failed"), checked.err());
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void tlsNeedsBothCertificateAndKey() {
        EchoServerCommand command = CommandLine.populateCommand(new EchoServerCommand(), "--tls-cert", "cert.pem");
        IllegalArgumentException error =
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, command::server);
        assertEquals("--tls-cert and --tls-key go together", error.getMessage());
    }

    @Test
    void authorityBracketsIpv6Literals() {
        assertEquals("[::1]:80", EchoServerCommand.authority("::1", 80));
        assertEquals("localhost:80", EchoServerCommand.authority("localhost", 80));
    }

    private static RunningServer bind(String... args) {
        return CommandLine.populateCommand(new EchoServerCommand(), args)
                .server()
                .bindNow();
    }

    private static List<String> extensionsOf(String url) {
        WebSocketSession session =
                WebSocketClient.create().noProxy().connect(URI.create(url)).block(Duration.ofSeconds(10));
        try {
            return session.extensions();
        } finally {
            session.close().block(Duration.ofSeconds(10));
        }
    }
}
