package dev.wsflux.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PeersTest {
    private static final String MISSING = "/usr/bin/node not found: install the Debian package nodejs to run this test";

    @Test
    void aMissingPeerSkipsTheTestOutsideCi() {
        TestAbortedException e =
                assertThrows(TestAbortedException.class, () -> Peers.require(false, () -> MISSING, false));
        assertEquals("Assumption failed: " + MISSING, e.getMessage());
    }

    @Test
    void aMissingPeerFailsTheTestOnCiNamingThePackage() {
        AssertionFailedError e =
                assertThrows(AssertionFailedError.class, () -> Peers.require(false, () -> MISSING, true));
        assertEquals("CI=true and a peer is missing: " + MISSING, e.getMessage());
    }

    @Test
    void aPresentPeerRunsTheTestEitherWay() {
        Peers.require(true, () -> MISSING, true);
        Peers.require(true, () -> MISSING, false);
    }
}
