package dev.wsflux.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The rule for peer-dependent tests: a missing tool skips on a developer's machine and fails in CI. */
class PeerToolsTest {
    private static final String TOOL = "/usr/bin/no-such-tool (Debian package no-such-tool)";

    @Test
    void aMissingToolSkipsTheTestOutsideCiNamingThePackage() {
        TestAbortedException skipped =
                assertThrows(TestAbortedException.class, () -> PeerTools.require(false, TOOL, false));
        assertEquals(TOOL + " is not installed: skipping (CI=true makes this a failure)", skipped.getMessage());
    }

    @Test
    void aMissingToolFailsTheTestInCiNamingThePackage() {
        AssertionError failed = assertThrows(AssertionError.class, () -> PeerTools.require(false, TOOL, true));
        assertEquals(TOOL + " is not installed, and CI=true: .ci/run must install it", failed.getMessage());
    }

    @Test
    void aPresentToolRunsTheTestEitherWay() {
        PeerTools.require(true, TOOL, true);
        PeerTools.require(true, TOOL, false);
    }

    @Test
    void theCiFlagComesFromTheEnvironment() {
        Path missing = Path.of("/usr/bin/no-such-tool");
        if (PeerTools.inCi()) {
            assertThrows(AssertionError.class, () -> PeerTools.requireExecutable(missing, "no-such-tool"));
        } else {
            assertThrows(TestAbortedException.class, () -> PeerTools.requireExecutable(missing, "no-such-tool"));
        }
        assertEquals("true".equalsIgnoreCase(System.getenv("CI")), PeerTools.inCi());
    }
}
