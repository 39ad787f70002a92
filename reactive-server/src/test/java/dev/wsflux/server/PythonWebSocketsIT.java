package dev.wsflux.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop smoke test: Python's {@code websockets} (Debian {@code python3-websockets}) as the client of our
 * server, with and without permessage-deflate. Skipped when {@code /usr/bin/python3 -c "import websockets"}
 * fails.
 */
class PythonWebSocketsIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Echoes a text and a binary message, closes with 1000 "done", then has the server close with 4001. */
    private static final String CLIENT = String.join(
            "\n",
            "import asyncio, sys, websockets",
            "async def main(base, compression):",
            "    async with websockets.connect(base + '/echo', compression=compression) as ws:",
            "        print('extensions', ws.response_headers.get('Sec-WebSocket-Extensions'))",
            "        await ws.send('héllo ' * 50)",
            "        print('text', (await ws.recv()) == 'héllo ' * 50)",
            "        await ws.send(bytes(range(256)) * 10)",
            "        print('binary', (await ws.recv()) == bytes(range(256)) * 10)",
            "        await ws.close(1000, 'done')",
            "        print('closed', ws.close_code, repr(ws.close_reason))",
            "    async with websockets.connect(base + '/bye', compression=compression) as ws:",
            "        try:",
            "            await ws.recv()",
            "        except websockets.ConnectionClosed as closed:",
            "            print('server closed', closed.code, repr(closed.reason))",
            "asyncio.run(main(sys.argv[1], None if sys.argv[2] == 'off' else 'deflate'))",
            "");

    @TempDir
    Path directory;

    private RunningServer server;

    @BeforeAll
    static void requirePythonWebSockets() throws Exception {
        boolean available = false;
        if (Files.isExecutable(PYTHON)) {
            Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import websockets")
                    .redirectErrorStream(true)
                    .start();
            available = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        Assumptions.assumeTrue(
                available, "Python websockets is not installed (apt-get install python3-websockets): skipping interop");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"on", "off"})
    void pythonClientEchoesTextAndBinaryAndSeesTheCloseCodes(String compression)
            throws IOException, InterruptedException {
        server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .route("/echo", session -> session.send(session.receive()))
                .route("/bye", session -> session.close(4001, "see you"))
                .bindNow();
        Path script = directory.resolve("client.py");
        Files.writeString(script, CLIENT);
        Process process = new ProcessBuilder(
                        PYTHON.toString(), script.toString(), "ws://127.0.0.1:" + server.port(), compression)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        assertEquals(true, exited, output);
        assertEquals(0, process.exitValue(), output);
        String extensions = compression.equals("on") ? "permessage-deflate" : "None";
        List<String> lines = output.lines().toList();
        assertEquals(
                List.of(
                        "extensions " + lines.get(0).substring("extensions ".length()),
                        "text True",
                        "binary True",
                        // The server's reply echoes the code without a reason, as websockets' does.
                        "closed 1000 ''",
                        "server closed 4001 'see you'"),
                lines,
                output);
        assertEquals(true, lines.get(0).startsWith("extensions " + extensions), output);
    }
}
