package dev.wsflux.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.client.ReconnectOptions;
import dev.wsflux.client.TlsOptions;
import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.testing.PeerTools;
import dev.wsflux.protocol.http11.InvalidStatusException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python {@code websockets} (Debian {@code python3-websockets}) against our server and our client: the matrix both
 * ways, with and without permessage-deflate, and what only a real server shows our client: a redirect, rejections
 * with their headers and bodies, TLS.
 */
class PythonWebSocketsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final WebSocketClient CLIENT = WebSocketClient.create().noProxy();

    @Test
    void websocketsClientTalksToOurServer() {
        Peers.assumePython("import websockets", "python3-websockets");
        PeerClientMatrix.run(
                "websockets client",
                url -> List.of(
                        Peers.PYTHON.toString(),
                        Peers.script("websockets_client.py").toString(),
                        url),
                Map.of(),
                new PeerClientMatrix.Capabilities(true, true, true));
    }

    @Test
    void websocketsClientWithoutCompressionTalksToOurServer() {
        Peers.assumePython("import websockets", "python3-websockets");
        PeerClientMatrix.run(
                "websockets client, no compression",
                url -> List.of(
                        Peers.PYTHON.toString(),
                        Peers.script("websockets_client.py").toString(),
                        url,
                        "--no-compression"),
                Map.of(),
                new PeerClientMatrix.Capabilities(true, true, false));
    }

    @Test
    void ourClientTalksToWebsocketsServer() {
        Peers.assumePython("import websockets", "python3-websockets");
        OurClientMatrix.run(
                "websockets server",
                List.of(
                        Peers.PYTHON.toString(),
                        Peers.script("websockets_server.py").toString()),
                Map.of(),
                new OurClientMatrix.Capabilities(true, true, true));
    }

    @Test
    void ourClientTalksToWebsocketsServerThatDeclinesCompression() {
        Peers.assumePython("import websockets", "python3-websockets");
        OurClientMatrix.run(
                "websockets server, no compression",
                List.of(
                        Peers.PYTHON.toString(),
                        Peers.script("websockets_server.py").toString(),
                        "--no-compression"),
                Map.of(),
                new OurClientMatrix.Capabilities(true, false, true));
    }

    @Test
    void ourClientWithoutCompressionTalksToWebsocketsServer() {
        Peers.assumePython("import websockets", "python3-websockets");
        try (PeerProcess server = startServer()) {
            WebSocketSession session = CLIENT.compression(false)
                    .connect(URI.create(base(server, "ws") + "/echo?conn=off"))
                    .block(WAIT);
            assertEquals(List.of(), session.extensions());
            assertEquals(Message.text("off"), echoOnce(session, Message.text("off")));
        }
    }

    @Test
    void ourClientFollowsARedirectFromWebsocketsServer() {
        Peers.assumePython("import websockets", "python3-websockets");
        try (PeerProcess server = startServer()) {
            WebSocketSession session =
                    CLIENT.connect(URI.create(base(server, "ws") + "/redirect")).block(WAIT);
            assertEquals("/echo", session.handshakeRequest().path());
            assertEquals(Message.text("moved"), echoOnce(session, Message.text("moved")));
        }
    }

    @Test
    void ourClientReportsWebsocketsRejectionsWithTheirHeadersAndBodies() {
        Peers.assumePython("import websockets", "python3-websockets");
        try (PeerProcess server = startServer()) {
            InvalidStatusException forbidden = assertThrows(
                    InvalidStatusException.class, () -> CLIENT.connect(URI.create(base(server, "ws") + "/forbidden"))
                            .block(WAIT));
            assertEquals(403, forbidden.status());
            assertEquals("test", forbidden.headers().get("X-Reason"));
            assertEquals("forbidden by test\n", new String(forbidden.body(), StandardCharsets.UTF_8));
            InvalidStatusException unavailable = assertThrows(
                    InvalidStatusException.class, () -> CLIENT.connect(URI.create(base(server, "ws") + "/unavailable"))
                            .block(WAIT));
            assertEquals(503, unavailable.status());
            assertEquals("try later\n", new String(unavailable.body(), StandardCharsets.UTF_8));
            assertTrue(ReconnectOptions.isRetryable(unavailable));
        }
    }

    @Test
    void ourClientConnectsToWebsocketsServerOverTls(@TempDir Path dir) throws Exception {
        Peers.assumePython("import websockets", "python3-websockets");
        Path certificate = dir.resolve("server.crt.pem");
        Path key = dir.resolve("server.key.pem");
        selfSigned(certificate, key);
        try (PeerProcess server = startServer("--tls", certificate.toString(), key.toString())) {
            WebSocketSession session = CLIENT.tls(TlsOptions.defaults().trustPem(certificate))
                    .connect(URI.create(base(server, "wss") + "/echo?conn=tls"))
                    .block(WAIT);
            assertEquals(Message.text("over tls"), echoOnce(session, Message.text("over tls")));
        }
    }

    private static PeerProcess startServer(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Peers.PYTHON.toString(), Peers.script("websockets_server.py").toString()));
        command.addAll(List.of(arguments));
        return PeerProcess.start(
                "websockets server", command, Peers.script("common.py").getParent(), Map.of());
    }

    private static String base(PeerProcess server, String scheme) {
        return scheme + "://127.0.0.1:" + server.awaitLine("listening=", WAIT);
    }

    private static Message echoOnce(WebSocketSession session, Message message) {
        try {
            return session.send(message).then(session.receive().next()).block(WAIT);
        } finally {
            session.close().block(WAIT);
        }
    }

    /** A self-signed certificate for 127.0.0.1, valid for a day, made by openssl. */
    private static void selfSigned(Path certificate, Path key) throws IOException, InterruptedException {
        Path openssl = Path.of("/usr/bin/openssl");
        PeerTools.requireExecutable(openssl, "openssl");
        Process process = new ProcessBuilder(
                        openssl.toString(),
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1",
                        "-keyout",
                        key.toString(),
                        "-out",
                        certificate.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "openssl failed");
    }
}
