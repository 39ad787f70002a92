package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoCommandIT {
    @Test
    void demoExchangesTextAndBinaryPingsClosesAndExitsZero() {
        CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.run("", "demo"));
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.lines();
        assertTrue(lines.get(0).matches("echo server listening on ws://127\\.0\\.0\\.1:\\d+"), lines.get(0));
        assertTrue(lines.get(1).startsWith("connected to ws://127.0.0.1:"), lines.get(1));
        assertEquals(
                List.of(
                        "> text: Hello, wsflux!",
                        "< text: Hello, wsflux!",
                        "> text: Grüße, 世界 ✓",
                        "< text: Grüße, 世界 ✓",
                        "> binary: 0001027773666c7578ff",
                        "< binary: 0001027773666c7578ff"),
                lines.subList(2, 8));
        assertTrue(lines.get(8).matches("ping: round trip \\d+\\.\\d{3} ms"), lines.get(8));
        assertEquals("closed: 1000 (OK)", lines.get(9));
        assertEquals(10, lines.size(), run.out());
    }
}
