package dev.wsflux.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headless Chromium (Debian {@code chromium}) loads a page from our server's {@code processRequest} hook; the
 * page runs the client scenario against the same server over WebSocket and reports on a last connection. The
 * browser API cannot send fragments or Pings; it must negotiate and use permessage-deflate.
 */
class ChromiumIT {

    @Test
    void chromiumPageTalksToOurServer(@TempDir Path profile) throws IOException {
        Peers.assumeExecutable(Peers.CHROMIUM, "chromium");
        String html = Files.readString(Peers.script("chromium_page.html"));
        try (OurServer server = OurServer.start(Map.of("/page", html));
                WireCounter wire = WireCounter.to(server.port());
                PeerProcess chromium = PeerProcess.start(
                        "chromium",
                        List.of(
                                Peers.CHROMIUM.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run",
                                "--disable-quic",
                                "--disable-dev-shm-usage",
                                "--user-data-dir=" + profile,
                                "http://127.0.0.1:" + wire.port() + "/page"),
                        profile,
                        // Chromium's singleton socket and temporary files stay inside the test's directory.
                        Map.of("TMPDIR", profile.toString()))) {
            String report = server.awaitFirstMessage("report", Duration.ofSeconds(60), chromium)
                    .text();
            PeerClientMatrix.assertMatrix(
                    "chromium", parse(report), server, wire, new PeerClientMatrix.Capabilities(false, false, true));
        }
    }

    private static Map<String, String> parse(String report) {
        Map<String, String> results = new LinkedHashMap<>();
        for (String line : report.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                results.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return results;
    }
}
