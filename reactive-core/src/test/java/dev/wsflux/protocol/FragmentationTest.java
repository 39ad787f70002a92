package dev.wsflux.protocol;

import static dev.wsflux.protocol.ProtocolFixtures.feed;
import static dev.wsflux.protocol.ProtocolFixtures.hex;
import static dev.wsflux.protocol.ProtocolFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Outcome;
import dev.wsflux.protocol.testing.Splits;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fragmented messages in {@link Protocol}: more than two frames, and control frames between fragments.
 *
 * <p>RFC 6455 §5.4: fragmentation, and control frames in the middle of a fragmented message. Byte inputs are fed
 * in every chunking ({@link Splits}).
 */
class FragmentationTest {
    @Test
    void aMessageMaySpanMoreThanTwoFrames() {
        ServerProtocol server = OpenProtocols.server();
        server.sendText(utf8("a"), false);
        server.sendContinuation(utf8("b"), false);
        server.sendContinuation(utf8("c"), true);
        server.sendText(utf8("d"), true); // the message ended: a new one may start
        // text "a" without FIN, continuation "b", continuation "c" with FIN, text "d"
        assertEquals("010161" + "000162" + "800163" + "810164", hex(server.dataToSend()));
    }

    @Test
    void aPingInsideAFragmentedTextMessageIsNotValidatedAsText() {
        // text "κ" split as ce | ba, with a ping carrying ff (not UTF-8) between the fragments
        Outcome outcome = feed(OpenProtocols::client, hex("01 01 ce 89 01 ff 80 01 ba"));
        assertEquals(List.of("TEXT ce", "PING fin ff", "CONTINUATION fin ba"), outcome.events());
        assertEquals(List.of("PONG fin ff"), outcome.sent());
        assertEquals(0, outcome.failureCode());
    }
}
