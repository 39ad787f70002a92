package dev.wsflux.conformance;

import java.util.Set;

/**
 * What a case expects of the closing, in Autobahn's terms. Immutable.
 *
 * @param closedByMe whether the peer (not the testee) starts the closing handshake
 * @param codes the close codes the testee may send (no code at all is also accepted, as in Autobahn)
 * @param requireClean whether both Close frames must be exchanged and TCP closed by the server
 */
public record ExpectedClose(boolean closedByMe, Set<Integer> codes, boolean requireClean) {

    /** Normal closing started by the peer: the testee answers 1000, cleanly. */
    public static ExpectedClose normal() {
        return new ExpectedClose(true, Set.of(1000), true);
    }

    /** The testee fails the connection with {@code code}; dropping TCP instead is tolerated. */
    public static ExpectedClose failedBy(int... codes) {
        return new ExpectedClose(false, codes(codes), false);
    }

    /** The peer closes (possibly with a malformed Close) and the testee answers one of {@code codes}. */
    public static ExpectedClose answeredWith(boolean requireClean, int... codes) {
        return new ExpectedClose(true, codes(codes), requireClean);
    }

    private static Set<Integer> codes(int... codes) {
        return Set.copyOf(java.util.Arrays.stream(codes).boxed().toList());
    }
}
