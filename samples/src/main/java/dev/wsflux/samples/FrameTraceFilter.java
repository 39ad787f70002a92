package dev.wsflux.samples;

import java.io.PrintStream;
import java.util.regex.Pattern;

/**
 * Standard error for {@code wsdump -v 1}: passes every line except the data-frame lines of the engine's
 * frame trace, so that only Ping, Pong and Close frames are shown (level 2 shows every frame). The
 * session API answers Pings itself and does not hand control frames to the application, so the trace is
 * where they become visible. Thread-safe as {@link PrintStream} is.
 */
final class FrameTraceFilter extends PrintStream {
    /** The logger of the engine's frame trace, as SLF4J's simple binding prints it. */
    static final String TRACE_LOGGER = "dev.wsflux.core.FrameTrace";

    private static final Pattern DATA_FRAME =
            Pattern.compile(Pattern.quote(TRACE_LOGGER) + " - \\[[^\\]]*\\] [<>] (TEXT|BINARY|CONTINUATION)\\b.*");

    FrameTraceFilter(PrintStream target) {
        super(target, true);
    }

    /** Whether {@code line} is kept. */
    static boolean keeps(String line) {
        return !DATA_FRAME.matcher(line).find();
    }

    @Override
    public void println(String line) {
        if (line == null || keeps(line)) {
            super.println(line);
        }
    }

    /**
     * Turns the frame trace on for this JVM before SLF4J starts: level 1 shows control frames, level 2
     * every frame. Has no effect once a logger was created (then the simple binding is configured).
     */
    static void install(int verbosity) {
        if (verbosity < 1) {
            return;
        }
        System.setProperty("org.slf4j.simpleLogger.log." + TRACE_LOGGER, "debug");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        if (verbosity == 1) {
            System.setErr(new FrameTraceFilter(System.err));
        }
    }
}
