package dev.wsflux.conformance;

import java.time.Duration;
import java.util.List;

/**
 * One Autobahn|Testsuite case as data: what the peer sends (steps), what it expects back, and how it grades
 * the closing. Immutable.
 *
 * @param id the Autobahn case id, e.g. {@code "6.4.3"}
 * @param description what the case does, for reports
 * @param steps the script
 * @param expectedOk the observations of a strict, passing testee, in order
 * @param expectedNonStrict the observations accepted as NON-STRICT (3.x, 4.x, 5.15), or {@code null}
 * @param expectedClose the closing expectations
 * @param informational whether the outcome is only informational (7.1.6, 7.13.x)
 * @param deflate permessage-deflate offers (peer as client) and acceptances (peer as server), or {@code null}
 * @param timeout the time limit of the whole case
 * @param reduction what was reduced to fit the CI budget (e.g. message counts), or {@code null}
 */
public record ConformanceCase(
        String id,
        String description,
        List<Step> steps,
        List<Observation> expectedOk,
        List<Observation> expectedNonStrict,
        ExpectedClose expectedClose,
        boolean informational,
        Deflate deflate,
        Duration timeout,
        String reduction) {

    /**
     * permessage-deflate configuration of a 12.x/13.x case.
     *
     * @param offers what the peer offers when it plays the client (empty list = Autobahn's default offer)
     * @param acceptances how the peer accepts the client's offer when it plays the server
     */
    public record Deflate(List<DeflateNegotiation.Request> offers, List<DeflateNegotiation.Request> acceptances) {}

    /** The major group, as in Autobahn's report: {@code "6"} for 6.4.3. */
    public String group() {
        return id.substring(0, id.indexOf('.'));
    }
}
