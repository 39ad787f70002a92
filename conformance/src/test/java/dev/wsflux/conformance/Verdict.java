package dev.wsflux.conformance;

/**
 * The graded outcome of one case, in Autobahn's vocabulary. Immutable.
 *
 * @param id the case id
 * @param behavior how the testee handled the messages
 * @param closeBehavior how the testee closed
 * @param result the overall result used by the summary: {@code behavior}, or FAILED when the closing failed
 * @param detail why, for anything but OK
 * @param millis how long the case took
 * @param wire the wire evidence
 */
public record Verdict(
        String id,
        Behavior behavior,
        CloseBehavior closeBehavior,
        Behavior result,
        String detail,
        long millis,
        java.util.List<String> wire) {

    /** Autobahn's {@code behavior}. */
    public enum Behavior {
        /** Passed. */
        OK,
        /** Passed, but not strictly (late failure, or messages before a violation were not echoed). */
        NON_STRICT,
        /** Outcome undefined by the RFC; reported only. */
        INFORMATIONAL,
        /** The feature the case needs is missing (no permessage-deflate agreed). */
        UNIMPLEMENTED,
        /** Failed. */
        FAILED
    }

    /** Autobahn's {@code behaviorClose}. */
    public enum CloseBehavior {
        /** Properly closed. */
        OK,
        /** The wrong endpoint closed, or the testee never failed the connection. */
        FAILED,
        /** The closing handshake was required to be clean and was not. */
        UNCLEAN,
        /** The testee sent a close code the case does not allow. */
        WRONG_CODE,
        /** The peer (as client) had to drop TCP: the server should close it first. */
        FAILED_BY_CLIENT
    }
}
