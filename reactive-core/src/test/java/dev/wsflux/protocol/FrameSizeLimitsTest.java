package dev.wsflux.protocol;

import static dev.wsflux.protocol.ProtocolFixtures.URI;
import static dev.wsflux.protocol.ProtocolFixtures.feed;
import static dev.wsflux.protocol.ProtocolFixtures.fromClient;
import static dev.wsflux.protocol.ProtocolFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Outcome;
import dev.wsflux.protocol.testing.Splits;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Frame and message size limits: {@code maxFrameSize} against {@code maxSize}, in both roles.
 *
 * <p>RFC 6455 §10.4: "implementations SHOULD impose implementation-specific limits on frame sizes". Byte inputs
 * are fed in every chunking ({@link Splits}).
 */
class FrameSizeLimitsTest {
    @Test
    void negativeSizesAreRejectedWhenBuilding() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ServerProtocol.builder().maxSize(-1).build());
        assertEquals("sizes must be >= 0: maxSize=-1, maxFrameSize=0", e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> ClientProtocol.builder(URI).maxFrameSize(-2).build());
        assertEquals("sizes must be >= 0: maxSize=1048576, maxFrameSize=-2", e.getMessage());
    }

    private ServerProtocol server() {
        return OpenProtocols.server(builder -> builder.maxSize(6).maxFrameSize(4));
    }

    @Test
    void framesWithinTheFrameLimitMakeAMessageWithinTheMessageLimit() {
        byte[] input = fromClient(
                new Frame(Opcode.BINARY, ByteBuffer.wrap(new byte[] {1, 2, 3}), false),
                new Frame(Opcode.CONTINUATION, ByteBuffer.wrap(new byte[] {4, 5, 6}), true));
        Outcome outcome = feed(this::server, input);
        assertEquals(List.of("BINARY 010203", "CONTINUATION fin 040506"), outcome.events());
        assertEquals(0, outcome.failureCode());
    }

    @Test
    void aFrameOverTheFrameLimitFailsEvenWithinTheMessageLimit() {
        byte[] input = fromClient(Frame.binary(new byte[] {1, 2, 3, 4, 5}));
        Outcome outcome = feed(this::server, input);
        assertEquals(List.of(), outcome.events());
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.failureCode());
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.sentCloseCode());
    }

    @Test
    void framesWithinTheFrameLimitStillCountTowardsTheMessageLimit() {
        byte[] input = fromClient(
                new Frame(Opcode.BINARY, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), false),
                new Frame(Opcode.CONTINUATION, ByteBuffer.wrap(new byte[] {5, 6, 7}), true));
        Outcome outcome = feed(this::server, input);
        assertEquals(List.of("BINARY 01020304"), outcome.events());
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.failureCode());
    }

    @Test
    void theClientAppliesItsFrameLimitToo() {
        Outcome outcome = feed(
                () -> OpenProtocols.client(builder -> builder.maxFrameSize(2)),
                hex("82 03 01 02 03")); // binary, 3 bytes
        assertEquals(List.of(), outcome.events());
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.sentCloseCode());
    }
}
