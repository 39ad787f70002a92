package dev.wsflux.protocol;

import static dev.wsflux.protocol.ProtocolFixtures.URI;
import static dev.wsflux.protocol.ProtocolFixtures.feed;
import static dev.wsflux.protocol.ProtocolFixtures.hex;
import static dev.wsflux.protocol.testing.OpenProtocols.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.InvalidStateException;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHeaderException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.WebSocketKey;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Outcome;
import dev.wsflux.protocol.testing.Splits;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The corners of {@link ClientProtocol}'s opening handshake: keys, requests refused before sending, Upgrade
 * values, deferred replies.
 *
 * <p>RFC 6455 §4.1: the client's side of the opening handshake. Byte inputs are fed in every chunking ({@link Splits}).
 */
class ClientHandshakeEdgeCasesTest {
    @Test
    void withoutAGivenRandomSourceEachKeyIsSixteenFreshBytes() {
        ClientProtocol client = ClientProtocol.builder(URI).build();
        assertSame(URI, client.uri());
        String first = client.connect().headers().get("Sec-WebSocket-Key");
        String second = client.connect().headers().get("Sec-WebSocket-Key");
        // 4.1: "a randomly selected 16-byte value that has been base64-encoded"
        assertEquals(16, Base64.getDecoder().decode(first).length);
        assertEquals(16, Base64.getDecoder().decode(second).length);
        assertNotEquals(first, second);
    }

    @Test
    void aClientThatGaveUpCannotSendItsRequest() {
        ClientProtocol client = ClientProtocol.builder(URI).build();
        Request request = client.connect();
        client.fail(CloseCodes.GOING_AWAY, "");
        InvalidStateException e = assertThrows(InvalidStateException.class, () -> client.sendRequest(request));
        assertEquals("cannot send a handshake request: connection is CLOSED", e.getMessage());
        assertEquals(List.of(), client.dataToSend());
    }

    @Test
    void aRequestWithoutAKeyIsRefusedAndNothingIsSent() {
        ClientProtocol client = ClientProtocol.builder(URI).build();
        Request request = new Request("GET", "/chat", Headers.of("Host", "server.example.com"));
        assertThrows(IllegalArgumentException.class, () -> client.sendRequest(request));
        assertEquals(List.of(), client.dataToSend());
        assertEquals(ProtocolState.CONNECTING, client.state());
        client.sendRequest(client.connect()); // the handshake can still start
        assertEquals(1, client.dataToSend().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2c", "websocket, h2c"})
    void anUpgradeToAnythingButWebSocketAloneFails(String upgrade) {
        ClientProtocol client =
                ClientProtocol.builder(URI).random(new Random(0)).build();
        Request request = client.connect();
        client.sendRequest(request);
        client.dataToSend();
        String response = "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: " + upgrade + "\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: "
                + WebSocketKey.accept(request.headers().get("Sec-WebSocket-Key"))
                + "\r\n\r\n";
        client.receiveData(ascii(response));
        InvalidHeaderException e = assertInstanceOf(InvalidHeaderException.class, client.handshakeException());
        assertTrue(e.getMessage().contains("Upgrade"), e.getMessage());
        assertEquals(ProtocolState.CLOSED, client.state());
    }

    @Test
    void aDeferringClientHoldsItsReplyToACloseUntilCommitted() {
        Supplier<ClientProtocol> deferred = () -> OpenProtocols.client(builder -> builder.deferClose(true));
        Outcome outcome = feed(
                deferred,
                hex("88 02 03 e8"),
                client -> { // close 1000
                    assertTrue(client.closePending());
                    client.commitClose();
                    List<ByteBuffer> output = client.dataToSend();
                    assertEquals(
                            CloseCodes.NORMAL_CLOSURE,
                            Outcome.of(client, List.of(), output).sentCloseCode());
                    assertFalse(output.contains(Protocol.EOF)); // the client still waits for the server to close TCP
                });
        assertEquals(List.of(), outcome.sent());
    }
}
