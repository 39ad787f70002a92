package dev.wsflux.protocol;

import static dev.wsflux.protocol.ProtocolFixtures.URI;
import static dev.wsflux.protocol.ProtocolFixtures.feed;
import static dev.wsflux.protocol.ProtocolFixtures.hex;
import static dev.wsflux.protocol.testing.OpenProtocols.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedOkException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Splits;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@link Protocol} reports the end of a connection: close code and reason, the close exception, and when TCP
 * is expected to close.
 *
 * <p>RFC 6455 §7.1.5 and §7.1.6: the close code and reason, and how the connection ended. Byte inputs are fed in
 * every chunking ({@link Splits}).
 */
class CloseReportingTest {
    @Test
    void theCloseCodeAndReasonAreUndefinedUntilACloseArrivesOrTheConnectionCloses() {
        ClientProtocol open = OpenProtocols.client();
        assertNull(open.closeCode());
        assertNull(open.closeReason());
        open.fail(CloseCodes.GOING_AWAY, "leaving"); // CLOSING: the client waits for the server's EOF
        assertEquals(ProtocolState.CLOSING, open.state());
        assertNull(open.closeCode());
        assertNull(open.closeReason());
        open.receiveEof();
        // §7.1.5: "If _The WebSocket Connection is Closed_ and no Close control frame was received by the
        // endpoint ..., _The WebSocket Connection Close Code_ is considered to be 1006."
        assertEquals(CloseCodes.ABNORMAL_CLOSURE, open.closeCode());
        assertEquals("", open.closeReason());
        ServerProtocol connecting = ServerProtocol.builder().build();
        assertNull(connecting.closeCode());
        assertNull(connecting.closeReason());
    }

    @Test
    void theCloseCodeAndReasonAreThoseOfTheCloseReceived() {
        ClientProtocol before = OpenProtocols.client();
        assertNull(before.closeReceived());
        feed(
                OpenProtocols::client,
                hex("88 05 03 e9 62 79 65"),
                client -> { // close 1001 "bye"
                    assertEquals(CloseCodes.GOING_AWAY, client.closeCode());
                    assertEquals("bye", client.closeReason());
                    assertEquals(new CloseStatus(1001, "bye"), client.closeReceived());
                });
    }

    @Test
    void theCloseExceptionIsOnlyAvailableOnceClosed() {
        ClientProtocol client = OpenProtocols.client();
        assertNull(client.closeException());
        client.receiveData(ByteBuffer.wrap(hex("88 02 03 e8"))); // close 1000
        assertEquals(ProtocolState.CLOSING, client.state());
        assertNull(client.closeException());
        client.receiveEof();
        assertInstanceOf(ConnectionClosedOkException.class, client.closeException());
    }

    @Test
    void anOpenConnectionDoesNotExpectTcpToClose() {
        assertFalse(OpenProtocols.client().closeExpected());
        assertFalse(OpenProtocols.server().closeExpected());
    }

    @Test
    void aClientWhoseHandshakeFailedExpectsTcpToCloseUntilItDoes() {
        ClientProtocol client = ClientProtocol.builder(URI).build();
        client.sendRequest(client.connect());
        client.dataToSend();
        client.receiveData(ascii("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
        assertInstanceOf(InvalidStatusException.class, client.handshakeException());
        assertEquals(ProtocolState.CLOSED, client.state());
        assertEquals(List.of(Protocol.EOF), client.dataToSend());
        assertTrue(client.closeExpected());
        client.receiveEof();
        assertFalse(client.closeExpected());
    }

    @Test
    void aServerFailingDuringTheHandshakeClosesTcpAtOnceAndExpectsItToClose() {
        ServerProtocol server = ServerProtocol.builder().build();
        server.fail(CloseCodes.POLICY_VIOLATION, "not now");
        assertEquals(ProtocolState.CLOSED, server.state());
        assertEquals(List.of(Protocol.EOF), server.dataToSend()); // no Close frame before the handshake
        assertNull(server.closeSent());
        assertTrue(server.closeExpected());
    }

    @Test
    void aClientFailingDuringTheHandshakeIsClosedWithoutSendingAnything() {
        ClientProtocol client = ClientProtocol.builder(URI).build();
        client.fail(CloseCodes.GOING_AWAY, "");
        assertEquals(ProtocolState.CLOSED, client.state());
        assertEquals(List.of(), client.dataToSend()); // no Close frame before the handshake
        assertNull(client.closeSent());
    }
}
