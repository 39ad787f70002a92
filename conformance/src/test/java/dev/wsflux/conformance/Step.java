package dev.wsflux.conformance;

import java.time.Duration;
import java.util.List;

/**
 * One step of a case script, interpreted by {@link CaseRunner}. Autobahn's timed pauses become "send, then
 * wait for the reply or a short timeout", so the suite runs in seconds. Immutable.
 */
public sealed interface Step {

    /** Write all frames as one chop. */
    int ONE_CHOP = 0;
    /** Write each frame as its own chop (Autobahn's {@code sync=True}). */
    int FRAME_CHOPS = -1;

    /**
     * Writes frames, in chops: {@link #ONE_CHOP}, {@link #FRAME_CHOPS}, or chops of {@code chop} octets
     * (1 = octet-wise), each chop flushed on its own.
     */
    record Send(List<WireFrame> frames, int chop) implements Step {}

    /**
     * Writes octets {@code [from, to)} of one frame's payload (with the frame header when {@code from} is 0) as
     * one chop: a single frame sent in parts with pauses in between (6.4.3, 6.4.4).
     */
    record SendFramePart(WireFrame frame, int from, int to) implements Step {}

    /** Waits until the testee has sent {@code total} observations in all, or closes, or the time runs out. */
    record AwaitObservations(int total, Duration timeout) implements Step {}

    /**
     * Waits {@code duration} expecting silence about the connection: a Close from the testee during it means
     * the testee failed the connection before the violation (6.4.x first part).
     */
    record ExpectNoClose(Duration duration) implements Step {}

    /**
     * Waits up to {@code timeout} for the testee's Close: a testee that fails later is not strict (6.4.x:
     * fail fast on invalid UTF-8).
     */
    record ExpectCloseWithin(Duration timeout) implements Step {}

    /** Sends a Close frame with a raw payload (which may be malformed on purpose). */
    record SendClose(byte[] payload) implements Step {}

    /**
     * Sends each message and waits for its echo before the next one (9.7/9.8 round trips, 12.x/13.x
     * compressed messages). Messages are compressed when permessage-deflate was agreed, and each (compressed)
     * payload is cut into frames of {@code fragmentSize} octets as Autobahn's {@code autoFragmentSize} cuts it,
     * with an empty final frame when the length is a multiple of it (0 = one frame; see {@link
     * PeerConnection#autoFragment}).
     */
    record RoundTrips(List<Observation> messages, int fragmentSize, Duration timeout) implements Step {}
}
