package dev.wsflux.protocol;

import static dev.wsflux.protocol.ProtocolFixtures.fromClient;
import static dev.wsflux.protocol.ProtocolFixtures.hex;
import static dev.wsflux.protocol.testing.OpenProtocols.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHeaderException;
import dev.wsflux.protocol.http11.InvalidHttpMessageException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Outcome;
import dev.wsflux.protocol.testing.Splits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The corners of {@link ServerProtocol}'s opening handshake: requests that are almost right, hooks that swap
 * responses, early data.
 *
 * <p>RFC 6455 §4.2: the server's side of the opening handshake. Byte inputs are fed in every chunking ({@link Splits}).
 */
class ServerHandshakeEdgeCasesTest {
    private Response accept(ServerProtocol server, String requestText) {
        server.receiveData(ascii(requestText));
        return server.accept((Request) server.eventsReceived().get(0));
    }

    private String requestWithout(String headerPrefix, String... extraLines) {
        StringBuilder text = new StringBuilder();
        for (String line : OpenProtocols.request(extraLines).split("\r\n")) {
            if (!line.startsWith(headerPrefix)) {
                text.append(line).append("\r\n");
            }
        }
        return text.append("\r\n").toString();
    }

    @Test
    void aMissingKeyIsAnswered400() {
        ServerProtocol server = ServerProtocol.builder().build();
        Response response = accept(server, requestWithout("Sec-WebSocket-Key"));
        assertEquals(400, response.status());
        InvalidHeaderException e = assertInstanceOf(InvalidHeaderException.class, server.handshakeException());
        assertTrue(e.getMessage().contains("Sec-WebSocket-Key"), e.getMessage());
    }

    @Test
    void twoKeysAreAnswered400() {
        ServerProtocol server = ServerProtocol.builder().build();
        Response response = accept(server, OpenProtocols.request("Sec-WebSocket-Key: " + OpenProtocols.KEY));
        assertEquals(400, response.status());
        assertInstanceOf(InvalidHeaderException.class, server.handshakeException());
    }

    @Test
    void aMissingVersionIsAnswered426WithTheSupportedVersion() {
        // 4.4: the server "MUST abort the WebSocket handshake ... and send ... a |Sec-WebSocket-Version|
        // header field indicating the version(s) the server is capable of understanding"
        ServerProtocol server = ServerProtocol.builder().build();
        Response response = accept(server, requestWithout("Sec-WebSocket-Version"));
        assertEquals(426, response.status());
        assertEquals("13", response.headers().get("Sec-WebSocket-Version"));
        assertTrue(response.bodyText().contains("missing Sec-WebSocket-Version header"), response.bodyText());
    }

    @Test
    void aSelectorMayChooseNoSubprotocol() {
        ServerProtocol server = OpenProtocols.server(
                builder -> builder.subprotocolSelector((request, offered) -> null), "Sec-WebSocket-Protocol: chat");
        assertNull(server.subprotocol());
        assertEquals(ProtocolState.OPEN, server.state());
    }

    @Test
    void aHandshakeFailureCarryingAnHttpStatusIsAnsweredWithThatStatus() {
        ServerProtocol server = ServerProtocol.builder()
                .subprotocolSelector((request, offered) -> {
                    throw new InvalidHttpMessageException(431, "too many subprotocols");
                })
                .build();
        Response response = accept(server, OpenProtocols.request("Sec-WebSocket-Protocol: a, b"));
        assertEquals(431, response.status());
        assertTrue(response.bodyText().contains("too many subprotocols"), response.bodyText());
    }

    @Test
    void aRejectionHasNoServerHeaderWhenItIsDisabled() {
        ServerProtocol server = ServerProtocol.builder().serverHeader(null).build();
        Response response = server.reject(503, "busy");
        assertEquals(503, response.status());
        assertEquals("busy\n", response.bodyText());
        assertFalse(response.headers().contains("Server"));
        assertEquals("close", response.headers().get("Connection"));
    }

    @Test
    void a101SentAfterARejectionDoesNotOpenTheConnection() {
        ServerProtocol server = ServerProtocol.builder().build();
        Response rejection = accept(server, OpenProtocols.request().replace("Version: 13", "Version: 8"));
        assertEquals(426, rejection.status());
        Throwable cause = server.handshakeException();
        // A hook swaps the rejection for a 101: the checks that failed still stand.
        server.sendResponse(new Response(101, "Switching Protocols", Headers.empty(), new byte[0]));
        assertEquals(ProtocolState.CLOSED, server.state());
        assertSame(cause, server.handshakeException());
        List<ByteBuffer> output = server.dataToSend();
        assertSame(Protocol.EOF, output.get(output.size() - 1));
    }

    @Test
    void earlyDataBeyondTheLimitFailsTheConnectionOnceOpenInsteadOfSkippingBytes() {
        // 4.1: the client "MUST wait for the server's handshake response before sending any further data";
        // the server keeps what arrives anyway, up to Protocol.MAX_UNPARSED bytes. Here frame 1 leaves
        // room for 6 more bytes: the 10-byte frame 2 does not fit, the 6-byte frame 3 would.
        int limit = Protocol.MAX_UNPARSED;
        byte[] request = OpenProtocols.request().getBytes(StandardCharsets.ISO_8859_1);
        byte[] frame1 = fromClient(Frame.binary(new byte[limit - 6 - 14])); // header: 2 + 8 (length) + 4 (mask)
        byte[] frame2 = fromClient(Frame.text("lost")); // 2 + 4 + 4 bytes
        byte[] frame3 = fromClient(Frame.binary(new byte[0])); // 2 + 4 bytes
        ByteBuffer all = ByteBuffer.allocate(request.length + limit + 10);
        byte[] input = all.put(request).put(frame1).put(frame2).put(frame3).array();
        int early = request.length;
        List<Splits.Chunking> chunkings = List.of(
                Splits.whole(input),
                new Splits.Chunking(
                        "frame by frame",
                        List.of(
                                ByteBuffer.wrap(input, 0, early + frame1.length),
                                ByteBuffer.wrap(input, early + frame1.length, frame2.length),
                                ByteBuffer.wrap(input, early + frame1.length + frame2.length, frame3.length))),
                Splits.splitAt(input, early + frame1.length + 3),
                Splits.chunksOf(input, 4096),
                Splits.oneByteAtATime(input));
        for (Splits.Chunking chunking : chunkings) {
            ServerProtocol server = ServerProtocol.builder().build();
            chunking.chunks().forEach(server::receiveData);
            Request handshake = (Request) server.eventsReceived().get(0);
            server.sendResponse(server.accept(handshake));
            List<ByteBuffer> output = server.dataToSend();
            List<Event> events = server.eventsReceived();
            // The bytes that fit are a prefix of the stream: frame 1 arrives whole, nothing after it does.
            assertEquals(1, events.size(), chunking.name());
            assertEquals(limit - 20, ((Frame) events.get(0)).length(), chunking.name());
            Outcome outcome = Outcome.of(server, List.of(), output.subList(1, output.size())); // after the 101
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.failureCode(), chunking.name());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.sentCloseCode(), chunking.name());
            assertTrue(outcome.eof(), chunking.name());
        }
    }

    @Test
    void aViolationWithinTheEarlyDataIsReportedRatherThanTheOverflow() {
        byte[] request = OpenProtocols.request().getBytes(StandardCharsets.ISO_8859_1);
        byte[] unmasked = hex("81 02 68 69"); // text "hi" without a mask: 5.1, the server must fail
        byte[] input = ByteBuffer.allocate(request.length + unmasked.length + Protocol.MAX_UNPARSED)
                .put(request)
                .put(unmasked)
                .array(); // then zeros, past the limit
        for (Splits.Chunking chunking :
                List.of(Splits.whole(input), Splits.chunksOf(input, 4096), Splits.oneByteAtATime(input))) {
            ServerProtocol server = ServerProtocol.builder().build();
            chunking.chunks().forEach(server::receiveData);
            server.sendResponse(server.accept((Request) server.eventsReceived().get(0)));
            List<ByteBuffer> output = server.dataToSend();
            Outcome outcome = Outcome.of(server, server.eventsReceived(), output.subList(1, output.size()));
            assertEquals(List.of(), outcome.events(), chunking.name());
            assertEquals(CloseCodes.PROTOCOL_ERROR, outcome.failureCode(), chunking.name());
            assertEquals(CloseCodes.PROTOCOL_ERROR, outcome.sentCloseCode(), chunking.name());
            assertEquals(1, outcome.sent().size(), chunking.name()); // no second Close for the overflow
            assertTrue(outcome.eof(), chunking.name());
        }
    }

    @Test
    void eofAfterARejectedRequestKeepsTheRejectionAsTheCause() {
        ServerProtocol server = ServerProtocol.builder().build();
        accept(server, requestWithout("Sec-WebSocket-Key"));
        Throwable rejection = server.handshakeException();
        server.receiveEof(); // the client left before the response was sent
        assertSame(rejection, server.handshakeException());
        assertEquals(ProtocolState.CLOSED, server.state());
    }
}
