package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void helpListsEverySubcommand() {
        CliRun run = CliRun.run("", "--help");
        assertEquals(0, run.exit(), run.err());
        for (String command : new String[] {"demo", "echo-server", "wsdump", "autobahn-client", "chat-server"}) {
            assertTrue(run.out().contains(command), run.out());
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = CliRun.run("", "echo-server", "--bogus");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--bogus"), run.err());
    }

    @Test
    void failureIsOneLineWithItsCause() {
        assertEquals("outer (inner)", Main.describe(new IllegalStateException("outer", new IOException("inner"))));
        assertEquals("RuntimeException", Main.describe(new RuntimeException()));
    }
}
