package dev.wsflux.protocol;

import static dev.wsflux.protocol.ProtocolFixtures.clientWith;
import static dev.wsflux.protocol.ProtocolFixtures.close;
import static dev.wsflux.protocol.ProtocolFixtures.eofCount;
import static dev.wsflux.protocol.ProtocolFixtures.feed;
import static dev.wsflux.protocol.ProtocolFixtures.fromClient;
import static dev.wsflux.protocol.ProtocolFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.ProtocolFixtures.TransformingExtension;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Outcome;
import dev.wsflux.protocol.testing.Splits;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Protocol#fail(int, String)} and the failures it stands for, in each state.
 *
 * <p>RFC 6455 §7.1.7: "Fail the WebSocket Connection", in each state. Byte inputs are fed in every chunking
 * ({@link Splits}).
 */
class FailConnectionTest {
    @ParameterizedTest(name = "fail({0})")
    @ValueSource(ints = {0, 999, 1004, 1005, 1015, 1016, 2999, 5000, -1})
    void aCodeThatMayNotBeSentIsRefusedAndNothingIsSent(int code) {
        // A peer receiving 999 fails in turn with 1002 (§7.4.2): check the code as sendClose does.
        ServerProtocol server = OpenProtocols.server();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.fail(code, "bad code"));
        assertEquals("invalid close code for fail(): " + code, e.getMessage());
        assertEquals(List.of(), server.dataToSend());
        assertEquals(ProtocolState.OPEN, server.state());
        assertThrows(IllegalArgumentException.class, () -> new WebSocketProtocolException(code, "bad code"));
    }

    @ParameterizedTest(name = "fail({0})")
    @ValueSource(ints = {1000, 1003, 1007, 1014, 3000, 4999})
    void aCodeThatMaySendGoesOnTheWire(int code) {
        ServerProtocol server = OpenProtocols.server();
        server.fail(code, "");
        assertEquals(code, Outcome.of(server, List.of(), server.dataToSend()).sentCloseCode());
    }

    @Test
    void failingWithAbnormalClosureClosesTcpWithoutACloseFrame() {
        ServerProtocol server = OpenProtocols.server();
        server.fail(CloseCodes.ABNORMAL_CLOSURE, "ignored");
        assertEquals(List.of(Protocol.EOF), server.dataToSend());
        assertNull(server.closeSent());
        assertTrue(server.closeExpected());
        server.receiveEof();
        assertNull(server.closeException().sent());
    }

    @Test
    void failingWhileClosingSendsNoSecondCloseFrame() {
        ServerProtocol server = OpenProtocols.server();
        server.sendClose(1000, "bye");
        server.dataToSend();
        server.fail(CloseCodes.PROTOCOL_ERROR, "too late");
        assertEquals(List.of(Protocol.EOF), server.dataToSend());
        assertEquals(new CloseStatus(1000, "bye"), server.closeSent());
    }

    @Test
    void failingTwiceSendsOneCloseFrameAndClosesTcpOnce() {
        ServerProtocol server = OpenProtocols.server();
        server.fail(CloseCodes.POLICY_VIOLATION, "first");
        server.fail(CloseCodes.INTERNAL_ERROR, "second");
        List<ByteBuffer> output = server.dataToSend();
        assertEquals(1, eofCount(output));
        Outcome outcome = Outcome.of(server, List.of(), output);
        assertEquals(1, outcome.sent().size());
        assertEquals(CloseCodes.POLICY_VIOLATION, outcome.sentCloseCode());
    }

    @Test
    void failingAfterADeferredCloseArrivedRepliesWithTheFailureCode() {
        ServerProtocol server = OpenProtocols.server(builder -> builder.deferClose(true));
        server.receiveData(ByteBuffer.wrap(fromClient(close(1001, "leaving"))));
        assertTrue(server.closePending());
        server.fail(CloseCodes.INTERNAL_ERROR, "shutting down");
        assertFalse(server.closePending());
        List<ByteBuffer> output = server.dataToSend();
        assertEquals(
                CloseCodes.INTERNAL_ERROR, Outcome.of(server, List.of(), output).sentCloseCode());
        assertSame(Protocol.EOF, output.get(output.size() - 1));
        server.receiveEof();
        ConnectionClosedException closed = server.closeException();
        assertEquals(new CloseStatus(1001, "leaving"), closed.received());
        assertEquals(new CloseStatus(1011, "shutting down"), closed.sent());
        assertEquals(Boolean.TRUE, closed.receivedThenSent());
    }

    @Test
    void aViolationWhileClosingFailsAtOnceEvenInDeferredMode() {
        // After our Close there is nothing left to answer: no Close waits for commitClose().
        Supplier<ServerProtocol> closing = () -> {
            ServerProtocol server = OpenProtocols.server(builder -> builder.deferClose(true));
            server.sendClose(1000, "");
            server.dataToSend();
            return server;
        };
        Outcome outcome = feed(
                closing,
                hex("80 80 00 00 00 00"),
                server -> { // continuation, nothing to continue
                    assertFalse(server.closePending());
                    assertEquals(new CloseStatus(1000, ""), server.closeSent());
                });
        assertEquals(CloseCodes.PROTOCOL_ERROR, outcome.failureCode());
        assertEquals(List.of(), outcome.sent());
        assertTrue(outcome.eof());
    }

    @Test
    void anExtensionThatThrowsFailsWith1011AndKeepsTheDetailsPrivate() {
        IllegalStateException bug = new IllegalStateException("secret detail");
        Supplier<ClientProtocol> factory = () -> clientWith(
                new TransformingExtension(bytes -> {
                    throw bug;
                }),
                builder -> builder);
        Outcome outcome = feed(
                factory,
                hex("c1 01 61"),
                client -> { // text "a" with RSV1
                    assertSame(bug, client.failureCause());
                    assertEquals(new CloseStatus(CloseCodes.INTERNAL_ERROR, "internal error"), client.closeSent());
                });
        assertEquals(List.of(), outcome.events());
        assertEquals(CloseCodes.INTERNAL_ERROR, outcome.sentCloseCode());
    }
}
