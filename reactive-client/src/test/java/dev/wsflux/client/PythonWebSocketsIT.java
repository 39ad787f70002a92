package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.http11.InvalidStatusException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against Python {@code websockets} servers (Debian package python3-websockets), started by the
 * tests on 127.0.0.1: echo with and without compression, subprotocols, redirects, rejections, TLS.
 */
class PythonWebSocketsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final WebSocketClient CLIENT = WebSocketClient.create().noProxy();

    /** An echo server; prints its port, then serves until killed. */
    private static final String SERVER = String.join(
            "\n",
            "import asyncio, http, ssl, sys, websockets",
            "compression, subprotocols, cert, key = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]",
            "async def echo(ws, path=None):",
            "    async for message in ws:",
            "        await ws.send(message)",
            "async def process_request(path, headers):",
            "    if path == '/redirect':",
            "        return http.HTTPStatus.FOUND, [('Location', '/echo')], b''",
            "    if path == '/forbidden':",
            "        return http.HTTPStatus.FORBIDDEN, [('X-Reason', 'test')], b'forbidden by test\\n'",
            "    if path == '/unavailable':",
            "        return http.HTTPStatus.SERVICE_UNAVAILABLE, [], b'try later\\n'",
            "    return None",
            "async def main():",
            "    context = None",
            "    if cert != '-':",
            "        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
            "        context.load_cert_chain(cert, key)",
            "    async with websockets.serve(echo, '127.0.0.1', 0, ssl=context, process_request=process_request,",
            "            compression='deflate' if compression == 'on' else None,",
            "            subprotocols=subprotocols.split(',') if subprotocols != '-' else None) as server:",
            "        print(server.sockets[0].getsockname()[1], flush=True)",
            "        await asyncio.Future()",
            "asyncio.run(main())",
            "");

    private Process process;

    @BeforeAll
    static void requirePythonWebSockets() throws Exception {
        boolean available = Files.isExecutable(PYTHON);
        if (available) {
            Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import websockets")
                    .redirectErrorStream(true)
                    .start();
            available = check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
        }
        assumeTrue(
                available,
                "/usr/bin/python3 -c 'import websockets' failed: install the Debian package python3-websockets");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Starts the server and returns its port. */
    private int start(Path dir, boolean compression, String subprotocols, TestCertificates.Pair tls) throws Exception {
        Path script = dir.resolve("server.py");
        Files.writeString(script, SERVER, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(
                PYTHON.toString(),
                script.toString(),
                compression ? "on" : "off",
                subprotocols == null ? "-" : subprotocols,
                tls == null ? "-" : tls.certificate().toString(),
                tls == null ? "-" : tls.privateKey().toString()));
        process = new ProcessBuilder(command)
                .redirectError(dir.resolve("server.log").toFile())
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                })
                .get(30, TimeUnit.SECONDS);
        if (line == null) {
            throw new IOException("python server did not start: " + Files.readString(dir.resolve("server.log")));
        }
        return Integer.parseInt(line.strip());
    }

    private static Message echoOnce(WebSocketSession session, Message message) {
        try {
            return session.send(message).then(session.receive().next()).block(TIMEOUT);
        } finally {
            session.close().block(TIMEOUT);
        }
    }

    @Test
    void echoesWithCompression(@TempDir Path dir) throws Exception {
        int port = start(dir, true, null, null);
        WebSocketSession session =
                CLIENT.connect(URI.create("ws://127.0.0.1:" + port + "/echo")).block(TIMEOUT);
        assertEquals(List.of("permessage-deflate"), session.extensions());
        String text = "compressible ".repeat(500);
        assertEquals(Message.text(text), echoOnce(session, Message.text(text)));
        WebSocketSession binary =
                CLIENT.connect(URI.create("ws://127.0.0.1:" + port + "/echo")).block(TIMEOUT);
        byte[] bytes = new byte[70_000];
        bytes[69_999] = 7;
        assertEquals(Message.binary(bytes), echoOnce(binary, Message.binary(bytes)));
    }

    @Test
    void echoesWithoutCompression(@TempDir Path dir) throws Exception {
        int port = start(dir, false, null, null);
        WebSocketSession offered =
                CLIENT.connect(URI.create("ws://127.0.0.1:" + port + "/echo")).block(TIMEOUT);
        assertEquals(List.of(), offered.extensions(), "the server declined the offer");
        assertEquals(Message.text("plain"), echoOnce(offered, Message.text("plain")));
        WebSocketSession off = CLIENT.compression(false)
                .connect(URI.create("ws://127.0.0.1:" + port + "/echo"))
                .block(TIMEOUT);
        assertEquals(Message.text("off"), echoOnce(off, Message.text("off")));
    }

    @Test
    void negotiatesASubprotocol(@TempDir Path dir) throws Exception {
        int port = start(dir, true, "superchat,chat", null);
        WebSocketSession session = CLIENT.subprotocols("chat", "other")
                .connect(URI.create("ws://127.0.0.1:" + port + "/echo"))
                .block(TIMEOUT);
        assertEquals("chat", session.subprotocol());
        session.close().block(TIMEOUT);
    }

    @Test
    void followsARedirect(@TempDir Path dir) throws Exception {
        int port = start(dir, true, null, null);
        WebSocketSession session = CLIENT.connect(URI.create("ws://127.0.0.1:" + port + "/redirect"))
                .block(TIMEOUT);
        assertEquals("/echo", session.handshakeRequest().path());
        assertEquals(Message.text("moved"), echoOnce(session, Message.text("moved")));
    }

    @Test
    void reportsRejectionsWithTheirBodies(@TempDir Path dir) throws Exception {
        int port = start(dir, true, null, null);
        InvalidStatusException forbidden = assertThrows(
                InvalidStatusException.class, () -> CLIENT.connect(URI.create("ws://127.0.0.1:" + port + "/forbidden"))
                        .block(TIMEOUT));
        assertEquals(403, forbidden.status());
        assertEquals("test", forbidden.headers().get("X-Reason"));
        assertEquals("forbidden by test\n", new String(forbidden.body(), StandardCharsets.UTF_8));
        InvalidStatusException unavailable = assertThrows(InvalidStatusException.class, () -> CLIENT.connect(
                        URI.create("ws://127.0.0.1:" + port + "/unavailable"))
                .block(TIMEOUT));
        assertEquals(503, unavailable.status());
        assertTrue(ReconnectOptions.isRetryable(unavailable));
    }

    @Test
    void connectsOverTls(@TempDir Path dir) throws Exception {
        TestCertificates.Pair cert = TestCertificates.selfSigned(dir, "python", "IP:127.0.0.1");
        int port = start(dir, true, null, cert);
        WebSocketSession session = CLIENT.tls(TlsOptions.defaults().trustPem(cert.certificate()))
                .connect(URI.create("wss://127.0.0.1:" + port + "/echo"))
                .block(TIMEOUT);
        assertEquals(Message.text("over tls"), echoOnce(session, Message.text("over tls")));
    }
}
