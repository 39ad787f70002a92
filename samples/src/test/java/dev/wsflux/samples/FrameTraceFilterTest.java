package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameTraceFilterTest {
    private static final String PREFIX = "DEBUG dev.wsflux.core.FrameTrace - [3f2a] ";

    @Test
    void keepsControlFramesAndDropsDataFrames() {
        assertTrue(FrameTraceFilter.keeps(PREFIX + "< PING fin [4 bytes] 01020304"));
        assertTrue(FrameTraceFilter.keeps(PREFIX + "> PONG fin [4 bytes] 01020304"));
        assertTrue(FrameTraceFilter.keeps(PREFIX + "< CLOSE fin [2 bytes] 1000"));
        assertFalse(FrameTraceFilter.keeps(PREFIX + "< TEXT fin [5 bytes] \"hello\""));
        assertFalse(FrameTraceFilter.keeps(PREFIX + "> BINARY fin [2 bytes] 0102"));
        assertFalse(FrameTraceFilter.keeps(PREFIX + "< CONTINUATION [2 bytes] 0102"));
    }

    @Test
    void keepsEveryOtherLogLine() {
        assertTrue(FrameTraceFilter.keeps("WARN reactor.netty - < TEXT is not a frame trace"));
    }

    @Test
    void printsOnlyTheKeptLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream filter = new FrameTraceFilter(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            filter.println(PREFIX + "< TEXT fin [1 bytes] \"x\"");
            filter.println(PREFIX + "< PING fin [0 bytes]");
        }
        assertEquals(PREFIX + "< PING fin [0 bytes]" + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
    }
}
