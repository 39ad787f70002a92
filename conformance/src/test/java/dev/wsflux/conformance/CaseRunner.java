package dev.wsflux.conformance;

import java.time.Duration;
import java.util.List;

/**
 * Plays one case's script on an open {@link PeerConnection} and then runs the closing the way Autobahn's
 * fuzzing peers do: the peer closes normal cases itself, waits for the testee to fail the others, answers the
 * testee's Close, and then either waits for the server's EOF (peer as client) or closes TCP itself (peer as
 * server). Not thread-safe: one runner per case.
 */
public final class CaseRunner {

    /** How long the peer waits for the testee's part of the closing handshake. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final ConformanceCase c;
    private final PeerConnection connection;
    private final PeerRole role;
    private final long deadline;
    private boolean failedTooEarly;
    private boolean failedLate;
    private boolean timedOut;
    private boolean testeeNeverFailed;

    /** Prepares to run {@code c} on {@code connection}; the case's time limit starts now. */
    public CaseRunner(ConformanceCase c, PeerConnection connection, PeerRole role) {
        this.c = c;
        this.connection = connection;
        this.role = role;
        this.deadline = System.nanoTime() + c.timeout().toNanos();
    }

    /** Runs the script and the closing; returns what happened. */
    public CaseRecord run(WireLog log) throws InterruptedException {
        for (Step step : c.steps()) {
            if (connection.testeeClosed() || connection.droppedByMe() || timedOut) {
                break;
            }
            if (!play(step)) {
                break;
            }
        }
        close();
        return new CaseRecord(
                connection.observations(),
                connection.violations(),
                connection.closedByMe(),
                connection.closeReceived(),
                connection.remoteCloseCode(),
                wasClean(),
                connection.droppedByMe(),
                testeeNeverFailed,
                failedTooEarly,
                failedLate,
                timedOut,
                false,
                log.lines());
    }

    private boolean play(Step step) throws InterruptedException {
        if (step instanceof Step.Send send) {
            return connection.send(send.frames(), send.chop());
        }
        if (step instanceof Step.SendFramePart part) {
            return connection.sendPart(part.frame(), part.from(), part.to());
        }
        if (step instanceof Step.SendClose close) {
            return connection.sendClose(close.payload());
        }
        if (step instanceof Step.AwaitObservations await) {
            if (!connection.awaitObservations(await.total(), until(await.timeout()))) {
                checkDeadline();
            }
            return true;
        }
        if (step instanceof Step.ExpectNoClose quiet) {
            if (connection.awaitClose(until(quiet.duration()))) {
                failedTooEarly = true;
                return false;
            }
            return true;
        }
        if (step instanceof Step.ExpectCloseWithin soon) {
            if (!connection.awaitClose(until(soon.timeout()))) {
                failedLate = true;
            }
            return true;
        }
        Step.RoundTrips trips = (Step.RoundTrips) step;
        long stepDeadline = until(trips.timeout());
        List<Observation> messages = trips.messages();
        int base = connection.observationCount();
        for (int i = 0; i < messages.size(); i++) {
            if (!connection.sendMessage(messages.get(i), trips.fragmentSize())) {
                return false;
            }
            if (!connection.awaitObservations(base + i + 1, stepDeadline)) {
                checkDeadline();
                return false;
            }
        }
        return true;
    }

    private void close() throws InterruptedException {
        if (!connection.testeeClosed() && !connection.closeSent() && !connection.droppedByMe()) {
            if (c.expectedClose().closedByMe() || timedOut) {
                connection.sendClose(new byte[] {0x03, (byte) 0xE8}); // 1000
            } else if (!connection.awaitClose(until(CLOSE_WAIT))) {
                testeeNeverFailed = true;
                connection.drop("the testee did not fail the connection within " + CLOSE_WAIT.toMillis() + " ms");
                return;
            }
        }
        if (connection.droppedByMe()) {
            return;
        }
        // The closing handshake: wait for the testee's Close (the reader answers a Close the testee starts).
        long closeDeadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        connection.awaitClose(closeDeadline);
        if (role == PeerRole.CLIENT) {
            // RFC 6455 §7.1.1: "the underlying TCP connection ... SHOULD be closed first by the server".
            if (!connection.awaitEof(closeDeadline)) {
                connection.drop("the server did not close TCP within " + CLOSE_WAIT.toMillis() + " ms");
            }
        } else {
            connection.closeTcp();
        }
    }

    private boolean wasClean() {
        boolean handshake = connection.closeSent() && connection.closeReceived();
        return handshake && (role == PeerRole.SERVER || !connection.droppedByMe());
    }

    private long until(Duration timeout) {
        return Math.min(deadline, System.nanoTime() + timeout.toNanos());
    }

    private void checkDeadline() {
        if (System.nanoTime() >= deadline) {
            timedOut = true;
        }
    }
}
