package dev.wsflux.samples;

import dev.wsflux.core.testing.PeerTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Python {@code websockets} server (Debian {@code python3-websockets}, legacy asyncio API) on
 * 127.0.0.1 and a free port, for interoperability tests. It pings each client once it connects, echoes
 * every message, answers {@code "binary please"} with the bytes {@code 00 01 fe} too, closes with
 * {@code 4000 "bye"} on {@code "close please"}, and rejects the path {@code /forbidden} with 403.
 */
final class PythonServer implements AutoCloseable {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = String.join(
            "\n",
            "import asyncio, http, websockets",
            "async def handler(ws, path=None):",
            "    await ws.ping(b'hi')",
            "    async for message in ws:",
            "        if message == 'close please':",
            "            await ws.close(4000, 'bye')",
            "            return",
            "        await ws.send(message)",
            "        if message == 'binary please':",
            "            await ws.send(b'\\x00\\x01\\xfe')",
            "async def process_request(path, headers):",
            "    if path == '/forbidden':",
            "        return http.HTTPStatus.FORBIDDEN, [], b'go away\\n'",
            "async def main():",
            "    async with websockets.serve(handler, '127.0.0.1', 0, process_request=process_request) as server:",
            "        print(server.sockets[0].getsockname()[1], flush=True)",
            "        await asyncio.Future()",
            "asyncio.run(main())");

    private final Process process;
    private final int port;

    private PythonServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server, or aborts the test (skipped) when Python {@code websockets} is not installed. */
    static PythonServer start() throws Exception {
        assumeWebsockets();
        Process process = new ProcessBuilder(PYTHON, "-c", SCRIPT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
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
            process.destroyForcibly();
            throw new IllegalStateException("the python websockets server did not start");
        }
        return new PythonServer(process, Integer.parseInt(line.strip()));
    }

    private static void assumeWebsockets() {
        PeerTools.requirePython("websockets");
    }

    /** {@code ws://127.0.0.1:port} + {@code path}. */
    String url(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
