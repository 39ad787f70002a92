package dev.wsflux.protocol;

import static dev.wsflux.protocol.ProtocolFixtures.URI;
import static dev.wsflux.protocol.ProtocolFixtures.close;
import static dev.wsflux.protocol.ProtocolFixtures.failureCode;
import static dev.wsflux.protocol.ProtocolFixtures.feed;
import static dev.wsflux.protocol.ProtocolFixtures.fromClient;
import static dev.wsflux.protocol.ProtocolFixtures.hex;
import static dev.wsflux.protocol.ProtocolFixtures.utf8;
import static dev.wsflux.protocol.testing.OpenProtocols.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Outcome;
import dev.wsflux.protocol.testing.Splits;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The order of the closing steps of {@link Protocol}: Close frames, EOF, and what follows them.
 *
 * <p>RFC 6455 §7.1.2 – §7.1.4: the closing handshake, from either side. Byte inputs are fed in every chunking
 * ({@link Splits}).
 */
class ClosingHandshakeTest {
    @Test
    void sendCloseWithoutArgumentsSendsACloseFrameWithoutStatus() {
        ServerProtocol server = OpenProtocols.server();
        server.sendClose();
        assertEquals("8800", hex(server.dataToSend())); // close, empty payload
        assertEquals(new CloseStatus(CloseCodes.NO_STATUS_RCVD, ""), server.closeSent());
        assertEquals(ProtocolState.CLOSING, server.state());
    }

    @Test
    void aClientThatStartedClosingTakesTheReplyAndWaitsForTheServerToCloseTcp() {
        Supplier<ClientProtocol> closing = () -> {
            ClientProtocol client = OpenProtocols.client();
            client.sendClose(1000, "bye");
            client.dataToSend();
            return client;
        };
        Outcome outcome = feed(
                closing,
                hex("88 02 03 e8"),
                client -> { // close 1000
                    assertTrue(client.closeExpected());
                    client.receiveEof();
                    assertEquals(List.of(Protocol.EOF), client.dataToSend());
                    ConnectionClosedException closed = client.closeException();
                    assertTrue(closed.isOk());
                    assertEquals(Boolean.FALSE, closed.receivedThenSent());
                    assertEquals(new CloseStatus(1000, "bye"), closed.sent());
                });
        assertEquals(List.of("CLOSE fin 03e8"), outcome.events());
        assertEquals(List.of(), outcome.sent()); // no second Close frame
        assertFalse(outcome.eof()); // 7.1.1: the client waits for the server to close TCP
        assertEquals(ProtocolState.CLOSING, outcome.state());
    }

    @Test
    void nothingIsSentAfterTheServerClosedTcp() {
        ServerProtocol server = OpenProtocols.server();
        server.receiveData(ByteBuffer.wrap(fromClient(close(1000, ""))));
        List<ByteBuffer> output = server.dataToSend();
        assertSame(Protocol.EOF, output.get(output.size() - 1));
        server.sendPing(utf8("late"));
        server.sendPong(utf8("late"));
        assertEquals(List.of(), server.dataToSend());
    }

    @Test
    void aSecondEofChangesNothing() {
        ClientProtocol client = OpenProtocols.client();
        client.receiveData(ByteBuffer.wrap(hex("81 05 48 65"))); // 2 of 5 bytes of a text frame
        client.receiveEof();
        Throwable cause = client.failureCause();
        assertEquals(List.of(Protocol.EOF), client.dataToSend());
        client.receiveEof();
        assertEquals(List.of(), client.dataToSend());
        assertSame(cause, client.failureCause());
        assertEquals(ProtocolState.CLOSED, client.state());
    }

    @Test
    void eofAfterAViolationKeepsTheViolationAsTheCause() {
        feed(
                OpenProtocols::client,
                hex("81 05 61 ff"),
                client -> { // text "a", then an invalid byte
                    assertEquals(CloseCodes.INVALID_PAYLOAD, failureCode(client));
                    client.receiveEof(); // in the middle of the frame, but the connection had already failed
                    assertEquals(CloseCodes.INVALID_PAYLOAD, failureCode(client));
                    assertEquals(ProtocolState.CLOSED, client.state());
                });
    }

    @Test
    void eofAfterARejectedHandshakeIsNotATruncatedFrame() {
        ServerProtocol server = ServerProtocol.builder().build();
        server.receiveData(ascii(OpenProtocols.request().replace("Version: 13", "Version: 8")));
        Request request = (Request) server.eventsReceived().get(0);
        server.sendResponse(server.accept(request));
        assertEquals(ProtocolState.CLOSED, server.state());
        server.receiveEof();
        assertNull(server.failureCause());
        ConnectionClosedException closed = server.closeException();
        assertNull(closed.received());
        assertNull(closed.sent());
    }

    @Test
    void bytesAfterAFailedClientHandshakeAreIgnored() {
        ClientProtocol client = ClientProtocol.builder(URI).build();
        client.sendRequest(client.connect());
        client.receiveData(ascii("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
        client.eventsReceived();
        client.dataToSend();
        ByteBuffer more = ascii("HTTP/1.1 101 Switching Protocols\r\n\r\n");
        client.receiveData(more);
        assertFalse(more.hasRemaining());
        assertEquals(List.of(), client.eventsReceived());
        assertEquals(List.of(), client.dataToSend());
        assertInstanceOf(InvalidStatusException.class, client.handshakeException());
    }
}
