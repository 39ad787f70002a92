package dev.wsflux.conformance;

import java.util.List;

/** Small helpers shared by the fuzzing client and server. Stateless and thread-safe. */
final class Cases {

    /** Autobahn's default offer and acceptance: {@code (requestNoContextTakeover, requestMaxWindowBits)} = (False, 0). */
    static final List<DeflateNegotiation.Request> DEFAULT = List.of(new DeflateNegotiation.Request(false, 0));

    private Cases() {}

    /** The record of a case that ended before the WebSocket was open (handshake failure, missing deflate). */
    static CaseRecord brokenBeforeOpen(List<String> violations, boolean deflateMissing, WireLog log) {
        return new CaseRecord(
                List.of(),
                violations,
                false,
                false,
                null,
                false,
                false,
                false,
                false,
                false,
                false,
                deflateMissing,
                log.lines());
    }

    /** The offers the peer makes as a client. */
    static List<DeflateNegotiation.Request> offersOf(ConformanceCase.Deflate deflate) {
        return deflate.offers().isEmpty() ? DEFAULT : deflate.offers();
    }

    /** The acceptances the peer tries as a server. */
    static List<DeflateNegotiation.Request> acceptancesOf(ConformanceCase.Deflate deflate) {
        return deflate.acceptances().isEmpty() ? DEFAULT : deflate.acceptances();
    }
}
