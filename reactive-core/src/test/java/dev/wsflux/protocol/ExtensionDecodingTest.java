package dev.wsflux.protocol;

import static dev.wsflux.protocol.ProtocolFixtures.clientWith;
import static dev.wsflux.protocol.ProtocolFixtures.feed;
import static dev.wsflux.protocol.ProtocolFixtures.hex;
import static dev.wsflux.protocol.ProtocolFixtures.recordedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wsflux.protocol.ProtocolFixtures.TransformingExtension;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.testing.Outcome;
import dev.wsflux.protocol.testing.Splits;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What {@link Protocol} hands to extensions (the size budget, control frames) and checks after they decoded a message.
 *
 * <p>RFC 6455 §9 and RFC 7692 §6: what extensions see, and the checks made after decoding. Byte inputs are fed in
 * every chunking ({@link Splits}).
 */
class ExtensionDecodingTest {
    @Test
    void extensionsGetWhatIsLeftOfTheMessageLimit() {
        // text "abc" with RSV1, then continuation "de"
        feed(
                () -> clientWith(new TransformingExtension(bytes -> bytes), builder -> builder.maxSize(10)),
                hex("41 03 61 62 63 80 02 64 65"),
                client -> assertEquals(List.of("TEXT 10", "CONTINUATION 7"), recordedBy(client).decoded));
    }

    @Test
    void withoutAMessageLimitExtensionsGetAnUnlimitedBudget() {
        feed(
                () -> clientWith(new TransformingExtension(bytes -> bytes), builder -> builder.maxSize(0)),
                hex("c2 01 00"), // binary with RSV1, one byte
                client -> assertEquals(List.of("BINARY " + Long.MAX_VALUE), recordedBy(client).decoded));
    }

    @Test
    void controlFramesPassThroughExtensionsWithoutABudget() {
        Outcome outcome = feed(
                () -> clientWith(new TransformingExtension(bytes -> bytes), builder -> builder.maxSize(10)),
                hex("89 01 70"), // ping "p"
                client -> assertEquals(List.of("PING " + Long.MAX_VALUE), recordedBy(client).decoded));
        assertEquals(List.of("PONG fin 70"), outcome.sent());
    }

    @Test
    void aMessageThatGrowsBeyondTheLimitWhenDecodedFails() {
        // 3 bytes on the wire that decode to 12, against a 10-byte limit: the announced length cannot be
        // checked for a compressed message, so the decoded size is.
        UnaryOperator<byte[]> quadruple = bytes -> {
            byte[] out = new byte[bytes.length * 4];
            for (int i = 0; i < out.length; i++) {
                out[i] = bytes[i / 4];
            }
            return out;
        };
        Outcome outcome = feed(
                () -> clientWith(new TransformingExtension(quadruple), builder -> builder.maxSize(10)),
                hex("c2 03 61 62 63")); // binary with RSV1, 3 bytes
        assertEquals(List.of(), outcome.events());
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.failureCode());
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.sentCloseCode());
    }

    @Test
    void aCompressedTextMessageIsValidatedAfterDecodingNotBefore() {
        // On the wire: ff, not UTF-8; decoded: ce ba, "κ".
        Outcome outcome = feed(
                () -> clientWith(new TransformingExtension(bytes -> hex("ce ba")), builder -> builder),
                hex("c1 01 ff")); // text with RSV1
        assertEquals(List.of("TEXT fin ceba"), outcome.events());
        assertEquals(0, outcome.failureCode());
    }

    @Test
    void aCompressedTextMessageThatDecodesToInvalidUtf8Fails() {
        // On the wire: "a"; decoded: ff, which is never valid UTF-8.
        Outcome outcome = feed(
                () -> clientWith(new TransformingExtension(bytes -> hex("ff")), builder -> builder),
                hex("c1 01 61")); // text with RSV1
        assertEquals(List.of(), outcome.events());
        assertEquals(CloseCodes.INVALID_PAYLOAD, outcome.failureCode());
        assertEquals(CloseCodes.INVALID_PAYLOAD, outcome.sentCloseCode());
    }
}
