package dev.wsflux.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsflux.conformance.Verdict.Behavior;
import dev.wsflux.conformance.Verdict.CloseBehavior;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GraderTest {

    private static final Observation HELLO = Observation.text(CaseCatalogue.ascii("Hello, world!"));

    private static ConformanceCase echoCase() {
        return new ConformanceCase(
                "1.1.1",
                "echo",
                List.of(),
                List.of(HELLO),
                null,
                ExpectedClose.normal(),
                false,
                null,
                Duration.ofSeconds(1),
                null);
    }

    private static ConformanceCase strictCase() {
        return new ConformanceCase(
                "3.2",
                "strict",
                List.of(),
                List.of(HELLO),
                List.of(),
                ExpectedClose.failedBy(1002),
                false,
                null,
                Duration.ofSeconds(1),
                null);
    }

    /** A clean record: observations, who closed, the testee's code. */
    private static CaseRecord record(List<Observation> observations, boolean closedByMe, Integer code) {
        return new CaseRecord(
                observations,
                List.of(),
                closedByMe,
                true,
                code,
                true,
                false,
                false,
                false,
                false,
                false,
                false,
                List.of());
    }

    private static Verdict grade(ConformanceCase c, CaseRecord r, PeerRole role) {
        return Grader.grade(c, r, role, 1);
    }

    @Nested
    class Behavior_ {
        @Test
        void echoedMessageAndNormalCloseIsOk() {
            Verdict v = grade(echoCase(), record(List.of(HELLO), true, 1000), PeerRole.CLIENT);
            assertEquals(Behavior.OK, v.result());
            assertEquals(CloseBehavior.OK, v.closeBehavior());
        }

        @Test
        void missingEchoFails() {
            assertEquals(
                    Behavior.FAILED,
                    grade(echoCase(), record(List.of(), true, 1000), PeerRole.CLIENT)
                            .result());
        }

        @Test
        void extraPongFails() {
            CaseRecord r = record(List.of(HELLO, Observation.pong(new byte[0])), true, 1000);
            assertEquals(Behavior.FAILED, grade(echoCase(), r, PeerRole.CLIENT).result());
        }

        @Test
        void messageBeforeViolationEchoedIsStrict() {
            assertEquals(
                    Behavior.OK,
                    grade(strictCase(), record(List.of(HELLO), false, 1002), PeerRole.CLIENT)
                            .result());
        }

        @Test
        void messageBeforeViolationNotEchoedIsNonStrict() {
            Verdict v = grade(strictCase(), record(List.of(), false, 1002), PeerRole.CLIENT);
            assertEquals(Behavior.NON_STRICT, v.result());
        }

        @Test
        void pongAfterViolationFails() {
            CaseRecord r = record(List.of(HELLO, Observation.pong(new byte[0])), false, 1002);
            assertEquals(
                    Behavior.FAILED, grade(strictCase(), r, PeerRole.CLIENT).result());
        }

        @Test
        void lateUtf8FailureIsNonStrict() {
            ConformanceCase c = new ConformanceCase(
                    "6.4.1",
                    "fail fast",
                    List.of(),
                    List.of(),
                    null,
                    ExpectedClose.failedBy(1007),
                    false,
                    null,
                    Duration.ofSeconds(1),
                    null);
            CaseRecord r = new CaseRecord(
                    List.of(), List.of(), false, true, 1007, true, false, false, false, true, false, false, List.of());
            assertEquals(Behavior.NON_STRICT, grade(c, r, PeerRole.CLIENT).result());
        }

        @Test
        void failureBeforeTheInvalidPartFails() {
            ConformanceCase c = new ConformanceCase(
                    "6.4.1",
                    "fail fast",
                    List.of(),
                    List.of(),
                    null,
                    ExpectedClose.failedBy(1007),
                    false,
                    null,
                    Duration.ofSeconds(1),
                    null);
            CaseRecord r = new CaseRecord(
                    List.of(), List.of(), false, true, 1007, true, false, false, true, false, false, false, List.of());
            assertEquals(Behavior.FAILED, grade(c, r, PeerRole.CLIENT).result());
        }

        @Test
        void violationsFailEvenWithTheRightObservations() {
            CaseRecord r = new CaseRecord(
                    List.of(HELLO),
                    List.of("unmasked frame from the client"),
                    true,
                    true,
                    1000,
                    true,
                    false,
                    false,
                    false,
                    false,
                    false,
                    false,
                    List.of());
            assertEquals(Behavior.FAILED, grade(echoCase(), r, PeerRole.SERVER).result());
        }

        @Test
        void timeoutFails() {
            CaseRecord r = new CaseRecord(
                    List.of(HELLO),
                    List.of(),
                    true,
                    true,
                    1000,
                    true,
                    false,
                    false,
                    false,
                    false,
                    true,
                    false,
                    List.of());
            assertEquals(Behavior.FAILED, grade(echoCase(), r, PeerRole.CLIENT).result());
        }

        @Test
        void missingDeflateIsUnimplemented() {
            ConformanceCase c = new ConformanceCase(
                    "12.1.1",
                    "deflate",
                    List.of(),
                    List.of(HELLO),
                    null,
                    ExpectedClose.normal(),
                    false,
                    new ConformanceCase.Deflate(List.of(), List.of()),
                    Duration.ofSeconds(1),
                    null);
            CaseRecord r = new CaseRecord(
                    List.of(), List.of(), false, false, null, false, false, false, false, false, false, true,
                    List.of());
            assertEquals(Behavior.UNIMPLEMENTED, grade(c, r, PeerRole.CLIENT).result());
        }

        @Test
        void informationalCasesAreOnlyReported() {
            ConformanceCase c = new ConformanceCase(
                    "7.13.1",
                    "code 5000",
                    List.of(),
                    List.of(),
                    null,
                    ExpectedClose.answeredWith(false, 1002),
                    true,
                    null,
                    Duration.ofSeconds(1),
                    null);
            assertEquals(
                    Behavior.INFORMATIONAL,
                    grade(c, record(List.of(), true, 5000), PeerRole.CLIENT).result());
        }
    }

    @Nested
    class CloseBehavior_ {
        @Test
        void wrongCodeFails() {
            Verdict v = grade(echoCase(), record(List.of(HELLO), true, 1011), PeerRole.CLIENT);
            assertEquals(CloseBehavior.WRONG_CODE, v.closeBehavior());
            assertEquals(Behavior.FAILED, v.result());
        }

        @Test
        void noCodeIsAccepted() {
            assertEquals(
                    CloseBehavior.OK,
                    grade(echoCase(), record(List.of(HELLO), true, null), PeerRole.CLIENT)
                            .closeBehavior());
        }

        @Test
        void uncleanCloseFailsWhenCleanIsRequired() {
            CaseRecord r = new CaseRecord(
                    List.of(HELLO),
                    List.of(),
                    true,
                    false,
                    null,
                    false,
                    false,
                    false,
                    false,
                    false,
                    false,
                    false,
                    List.of());
            assertEquals(
                    CloseBehavior.UNCLEAN, grade(echoCase(), r, PeerRole.CLIENT).closeBehavior());
        }

        @Test
        void droppedTcpIsToleratedWhenTheTesteeFailsTheConnection() {
            CaseRecord r = new CaseRecord(
                    List.of(HELLO),
                    List.of(),
                    false,
                    false,
                    null,
                    false,
                    false,
                    false,
                    false,
                    false,
                    false,
                    false,
                    List.of());
            assertEquals(Behavior.OK, grade(strictCase(), r, PeerRole.CLIENT).result());
        }

        @Test
        void testeeClosingANormalCaseIsTheWrongEndpoint() {
            assertEquals(
                    CloseBehavior.FAILED,
                    grade(echoCase(), record(List.of(HELLO), false, 1000), PeerRole.CLIENT)
                            .closeBehavior());
        }

        @Test
        void serverThatDoesNotCloseTcpFailsByClient() {
            CaseRecord r = new CaseRecord(
                    List.of(HELLO),
                    List.of(),
                    true,
                    true,
                    1000,
                    true,
                    true,
                    false,
                    false,
                    false,
                    false,
                    false,
                    List.of());
            assertEquals(
                    CloseBehavior.FAILED_BY_CLIENT,
                    grade(echoCase(), r, PeerRole.CLIENT).closeBehavior());
            assertEquals(CloseBehavior.OK, grade(echoCase(), r, PeerRole.SERVER).closeBehavior());
        }

        @Test
        void testeeThatNeverFailsTheConnectionFails() {
            CaseRecord r = new CaseRecord(
                    List.of(HELLO),
                    List.of(),
                    false,
                    false,
                    null,
                    false,
                    true,
                    true,
                    false,
                    false,
                    false,
                    false,
                    List.of());
            assertEquals(
                    CloseBehavior.FAILED,
                    grade(strictCase(), r, PeerRole.SERVER).closeBehavior());
        }
    }
}
