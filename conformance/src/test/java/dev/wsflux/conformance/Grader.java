package dev.wsflux.conformance;

import dev.wsflux.conformance.Verdict.Behavior;
import dev.wsflux.conformance.Verdict.CloseBehavior;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Grades a {@link CaseRecord} against its {@link ConformanceCase} with Autobahn|Testsuite's rules: {@code
 * behavior} compares the testee's observations with the strict and the non-strict expectation; {@code
 * behaviorClose} checks who closed, whether it was clean and the close code, and (when the peer is the client)
 * that the server closed TCP first. Stateless and thread-safe.
 *
 * <p>One rule is stricter than Autobahn's: a testee that never fails a connection it must fail (the peer has
 * to give up and drop TCP) fails the close grading in both roles.
 */
public final class Grader {

    private Grader() {}

    /** Grades one case played in {@code role}. */
    public static Verdict grade(ConformanceCase c, CaseRecord r, PeerRole role, long millis) {
        StringBuilder detail = new StringBuilder();
        Behavior behavior = behavior(c, r, detail);
        CloseBehavior closeBehavior = closeBehavior(c, r, role, detail);
        Behavior result;
        if (c.informational()) {
            result = Behavior.INFORMATIONAL;
        } else if (behavior == Behavior.UNIMPLEMENTED) {
            result = Behavior.UNIMPLEMENTED;
        } else if (behavior == Behavior.FAILED || closeBehavior != CloseBehavior.OK) {
            result = Behavior.FAILED;
        } else {
            result = behavior;
        }
        return new Verdict(
                c.id(), behavior, closeBehavior, result, detail.toString().trim(), millis, r.wire());
    }

    private static Behavior behavior(ConformanceCase c, CaseRecord r, StringBuilder detail) {
        if (c.deflate() != null && r.deflateMissing()) {
            detail.append("permessage-deflate was not agreed. ");
            return Behavior.UNIMPLEMENTED;
        }
        if (r.timedOut()) {
            detail.append("case exceeded its time limit of ")
                    .append(c.timeout())
                    .append(". ");
            return Behavior.FAILED;
        }
        if (!r.violations().isEmpty()) {
            detail.append("testee protocol violations: ").append(r.violations()).append(". ");
            return Behavior.FAILED;
        }
        if (r.failedTooEarly()) {
            detail.append("testee failed the connection before the invalid part was sent. ");
            return Behavior.FAILED;
        }
        if (r.observations().equals(c.expectedOk())) {
            if (r.failedLate()) {
                detail.append("invalid UTF-8 was not detected as soon as the offending byte arrived. ");
                return Behavior.NON_STRICT;
            }
            return Behavior.OK;
        }
        if (c.expectedNonStrict() != null && r.observations().equals(c.expectedNonStrict())) {
            detail.append("messages completed before the violation were not echoed before the Close: expected ")
                    .append(describe(c.expectedOk()))
                    .append(", received ")
                    .append(describe(r.observations()))
                    .append(". ");
            return Behavior.NON_STRICT;
        }
        detail.append("expected ")
                .append(describe(c.expectedOk()))
                .append(", received ")
                .append(describe(r.observations()))
                .append(". ");
        return Behavior.FAILED;
    }

    private static CloseBehavior closeBehavior(ConformanceCase c, CaseRecord r, PeerRole role, StringBuilder detail) {
        ExpectedClose expected = c.expectedClose();
        if (r.testeeNeverFailed()) {
            detail.append("the testee never failed the connection; the peer dropped TCP. ");
            return CloseBehavior.FAILED;
        }
        if (r.closedByMe() != expected.closedByMe()) {
            detail.append(expected.closedByMe() ? "the testee" : "the peer")
                    .append(" started the closing handshake, the other endpoint should have. ");
            return CloseBehavior.FAILED;
        }
        if (expected.requireClean() && !r.wasClean()) {
            detail.append("the closing handshake was required to be clean and was not. ");
            return CloseBehavior.UNCLEAN;
        }
        if (r.remoteCloseCode() != null && !expected.codes().contains(r.remoteCloseCode())) {
            detail.append("close code ")
                    .append(r.remoteCloseCode())
                    .append(", expected one of ")
                    .append(expected.codes().stream().sorted().toList())
                    .append(" or none. ");
            return CloseBehavior.WRONG_CODE;
        }
        if (role == PeerRole.CLIENT && r.droppedByMe()) {
            detail.append("the server did not close the TCP connection after the closing handshake. ");
            return CloseBehavior.FAILED_BY_CLIENT;
        }
        return CloseBehavior.OK;
    }

    private static String describe(List<Observation> observations) {
        if (observations.size() > 6) {
            return observations.size() + " observations, first " + observations.get(0) + ", last "
                    + observations.get(observations.size() - 1);
        }
        return observations.stream().map(Observation::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
