package dev.wsflux.conformance;

import java.util.List;

/**
 * What happened on the wire during one case, as the grading sees it. Immutable.
 *
 * @param observations the testee's messages and pongs, in order
 * @param violations protocol errors the testee made (unmasked client frame, bad UTF-8 echoed, frame after
 *     Close…)
 * @param closedByMe whether the peer sent the first Close
 * @param closeReceived whether the testee sent a Close
 * @param remoteCloseCode the testee's close code, or {@code null} when it sent none (or no Close)
 * @param wasClean whether both Close frames were exchanged and TCP was closed by the server side
 * @param droppedByMe whether the peer had to drop TCP when playing the client (server did not close it in
 *     time)
 * @param testeeNeverFailed whether the testee never closed although the case expected it to fail the
 *     connection, so the peer gave up and dropped TCP
 * @param failedTooEarly whether the testee failed the connection during a part the case expects it to accept
 * @param failedLate whether the testee failed the connection, but not as soon as the offending byte arrived
 * @param timedOut whether the case exceeded its time limit
 * @param deflateMissing whether a 12.x/13.x case ran without permessage-deflate agreed
 * @param wire the wire evidence: frames sent and received, abbreviated
 */
public record CaseRecord(
        List<Observation> observations,
        List<String> violations,
        boolean closedByMe,
        boolean closeReceived,
        Integer remoteCloseCode,
        boolean wasClean,
        boolean droppedByMe,
        boolean testeeNeverFailed,
        boolean failedTooEarly,
        boolean failedLate,
        boolean timedOut,
        boolean deflateMissing,
        List<String> wire) {}
