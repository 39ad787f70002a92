package dev.wsflux.protocol;

import static dev.wsflux.protocol.testing.OpenProtocols.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.extensions.ClientExtensionFactory;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.NegotiationException;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.InvalidStateException;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.http11.BasicCredentials;
import dev.wsflux.protocol.http11.ExtensionOffer;
import dev.wsflux.protocol.http11.ExtensionParameter;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHandshakeException;
import dev.wsflux.protocol.http11.InvalidHeaderException;
import dev.wsflux.protocol.http11.InvalidHttpMessageException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import dev.wsflux.protocol.http11.WebSocketKey;
import dev.wsflux.protocol.http11.WebSocketUri;
import dev.wsflux.protocol.testing.OpenProtocols;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The client's opening handshake (RFC 6455 §4.1). */
class ClientProtocolTest {

    private static ClientProtocol client(UnaryOperator<ClientProtocol.Builder> customize) {
        return customize
                .apply(ClientProtocol.builder(WebSocketUri.parse("ws://user:pass@example.com:8080/chat?x=1"))
                        .random(new Random(0)))
                .build();
    }

    /** Sends the request and feeds {@code responseLines} (plus the right accept header when asked). */
    private static ClientProtocol respond(
            UnaryOperator<ClientProtocol.Builder> customize, boolean rightAccept, String... responseLines) {
        ClientProtocol client = client(customize);
        Request request = client.connect();
        client.sendRequest(request);
        client.dataToSend();
        StringBuilder response = new StringBuilder();
        for (String line : responseLines) {
            response.append(line).append("\r\n");
        }
        if (rightAccept) {
            response.append("Sec-WebSocket-Accept: ")
                    .append(WebSocketKey.accept(request.headers().get("Sec-WebSocket-Key")))
                    .append("\r\n");
        }
        response.append("\r\n");
        byte[] bytes = response.toString().getBytes(StandardCharsets.ISO_8859_1);
        // One byte at a time: the handshake parser accepts any chunking.
        for (byte b : bytes) {
            client.receiveData(ByteBuffer.wrap(new byte[] {b}));
        }
        return client;
    }

    private static final String[] OK = {"HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade"
    };

    private static String[] ok(String... extra) {
        String[] lines = new String[OK.length + extra.length];
        System.arraycopy(OK, 0, lines, 0, OK.length);
        System.arraycopy(extra, 0, lines, OK.length, extra.length);
        return lines;
    }

    @Nested
    class HandshakeRequest {
        @Test
        void theRequestCarriesTheRequiredHeaders() {
            dev.wsflux.protocol.http11.Request request = client(
                            builder -> builder.origin("https://example.com").subprotocols(List.of("chat", "superchat")))
                    .connect();
            Headers headers = request.headers();
            assertEquals("GET", request.method());
            assertEquals("/chat?x=1", request.path());
            assertEquals("example.com:8080", headers.get("Host"));
            assertEquals("websocket", headers.get("Upgrade"));
            assertEquals("Upgrade", headers.get("Connection"));
            assertEquals("13", headers.get("Sec-WebSocket-Version"));
            assertTrue(WebSocketKey.isValid(headers.get("Sec-WebSocket-Key")));
            assertEquals("https://example.com", headers.get("Origin"));
            assertEquals("chat, superchat", headers.get("Sec-WebSocket-Protocol"));
            assertEquals(BasicCredentials.encode("user", "pass"), headers.get("Authorization"));
            assertTrue(headers.get("User-Agent").startsWith("wsflux"));
        }

        @Test
        void extraHeadersReplaceGeneratedOnesAndUserAgentCanBeRemoved() {
            dev.wsflux.protocol.http11.Request request = client(builder -> builder.headers(
                                    OpenProtocols.headers("Host: override.example", "X-Trace: 1", "X-Trace: 2"))
                            .userAgent(null))
                    .connect();
            assertEquals(List.of("override.example"), request.headers().all("Host"));
            assertEquals(List.of("1", "2"), request.headers().all("X-Trace"));
            assertNull(request.headers().get("User-Agent"));
        }

        @Test
        void eachConnectGeneratesAFreshKey() {
            ClientProtocol client = client(builder -> builder);
            String first = client.connect().headers().get("Sec-WebSocket-Key");
            String second = client.connect().headers().get("Sec-WebSocket-Key");
            assertTrue(!first.equals(second));
        }

        @Test
        void sendingTwoRequestsThrows() {
            ClientProtocol client = client(builder -> builder);
            client.sendRequest(client.connect());
            assertThrows(InvalidStateException.class, () -> client.sendRequest(client.connect()));
        }
    }

    @Nested
    class InputBuffers {
        /** Unmasked (server-to-client) frames: text "Hello", 300 bytes of binary, "Hel" + "lo" in fragments. */
        private static final List<Frame> SERVER_FRAMES = List.of(
                Frame.text("Hello"),
                Frame.binary(ServerProtocolTest.pattern(300)),
                new Frame(Opcode.TEXT, ascii("Hel"), false),
                new Frame(Opcode.CONTINUATION, ascii("lo"), true));

        @Test
        void theResponseAndTheFramesAfterItSurviveTheInputBeingOverwrittenAfterEachCall() {
            // The key comes from Random(0): every client below sends the same one.
            String key = client(builder -> builder).connect().headers().get("Sec-WebSocket-Key");
            byte[] head = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + WebSocketKey.accept(key) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            byte[] frames = ServerProtocolTest.serialize(false, SERVER_FRAMES);
            byte[] input = new byte[head.length + frames.length];
            System.arraycopy(head, 0, input, 0, head.length);
            System.arraycopy(frames, 0, input, head.length, frames.length);
            for (List<Integer> splits : ServerProtocolTest.everySplit(input.length)) {
                ClientProtocol client = client(builder -> builder);
                client.sendRequest(client.connect());

                ServerProtocolTest.feedThroughAScribbledArray(client, input, splits);

                List<Event> events = client.eventsReceived();
                assertEquals(ProtocolState.OPEN, client.state(), splits.toString());
                Response response = (Response) events.get(0);
                assertEquals(101, response.status());
                assertEquals("websocket", response.headers().get("Upgrade"));
                assertEquals(
                        SERVER_FRAMES, ServerProtocolTest.frames(events.subList(1, events.size())), splits.toString());
            }
        }
    }

    @Nested
    class HandshakeResponse {
        @Test
        void aValidResponseOpensTheConnection() {
            ClientProtocol client = respond(builder -> builder, true, ok());
            assertEquals(ProtocolState.OPEN, client.state());
            assertInstanceOf(
                    dev.wsflux.protocol.http11.Response.class,
                    client.eventsReceived().get(0));
            assertNull(client.subprotocol());
        }

        @Test
        void framesInTheSameBufferAsTheResponseAreParsed() {
            ClientProtocol client = client(builder -> builder);
            dev.wsflux.protocol.http11.Request request = client.connect();
            client.sendRequest(request);
            String accept = WebSocketKey.accept(request.headers().get("Sec-WebSocket-Key"));
            byte[] head = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer data = ByteBuffer.allocate(head.length + 4).put(head).put(new byte[] {(byte) 0x81, 2, 'h', 'i'});
            client.receiveData(data.flip());
            List<Event> events = client.eventsReceived();
            assertEquals(2, events.size());
            assertEquals("hi", ((Frame) events.get(1)).payloadText());
        }

        @Test
        void aNon101ResponseIsAnInvalidStatusCarryingTheResponse() {
            ClientProtocol client =
                    respond(builder -> builder, false, "HTTP/1.1 403 Forbidden", "Content-Length: 4", "", "nope");
            InvalidStatusException e = assertInstanceOf(InvalidStatusException.class, client.handshakeException());
            assertEquals(403, e.status());
            assertEquals("nope", new String(e.body(), StandardCharsets.UTF_8));
            assertEquals(ProtocolState.CLOSED, client.state());
            assertInstanceOf(
                    dev.wsflux.protocol.http11.Response.class,
                    client.eventsReceived().get(0));
            assertSame(Protocol.EOF, client.dataToSend().get(0));
        }

        @Test
        void aWrongAcceptFails() {
            ClientProtocol client =
                    respond(builder -> builder, false, ok("Sec-WebSocket-Accept: " + OpenProtocols.ACCEPT));
            InvalidHeaderException e = assertInstanceOf(InvalidHeaderException.class, client.handshakeException());
            assertEquals("Sec-WebSocket-Accept", e.name());
        }

        @Test
        void aMissingAcceptFails() {
            ClientProtocol client = respond(builder -> builder, false, ok());
            assertNull(((InvalidHeaderException) client.handshakeException()).value());
        }

        @Test
        void aMissingUpgradeFails() {
            ClientProtocol client =
                    respond(builder -> builder, true, "HTTP/1.1 101 Switching Protocols", "Connection: Upgrade");
            assertEquals("Upgrade", ((InvalidHeaderException) client.handshakeException()).name());
        }

        @Test
        void aMissingConnectionUpgradeFails() {
            ClientProtocol client = respond(
                    builder -> builder,
                    true,
                    "HTTP/1.1 101 Switching Protocols",
                    "Upgrade: websocket",
                    "Connection: close");
            assertEquals("Connection", ((InvalidHeaderException) client.handshakeException()).name());
        }

        @Test
        void anOfferedSubprotocolIsAccepted() {
            ClientProtocol client = respond(
                    builder -> builder.subprotocols(List.of("chat", "superchat")),
                    true,
                    ok("Sec-WebSocket-Protocol: superchat"));
            assertEquals("superchat", client.subprotocol());
        }

        @Test
        void aSubprotocolNotOfferedFails() {
            ClientProtocol client = respond(
                    builder -> builder.subprotocols(List.of("chat")), true, ok("Sec-WebSocket-Protocol: other"));
            assertInstanceOf(NegotiationException.class, client.handshakeException());
        }

        @Test
        void severalSubprotocolsFail() {
            ClientProtocol client = respond(
                    builder -> builder.subprotocols(List.of("a", "b")), true, ok("Sec-WebSocket-Protocol: a, b"));
            assertInstanceOf(InvalidHeaderException.class, client.handshakeException());
        }

        @Test
        void anExtensionNotOfferedFails() {
            ClientProtocol client = respond(builder -> builder, true, ok("Sec-WebSocket-Extensions: x-unknown"));
            assertInstanceOf(NegotiationException.class, client.handshakeException());
        }

        @Test
        void offeredExtensionsAreNegotiatedThroughTheirFactory() {
            List<ExtensionOffer> seen = new java.util.ArrayList<>();
            ClientExtensionFactory factory = new ClientExtensionFactory() {
                @Override
                public String name() {
                    return "x-test";
                }

                @Override
                public List<ExtensionOffer> offers() {
                    return List.of(
                            ExtensionOffer.of("x-test", ExtensionParameter.of("a", "1")), ExtensionOffer.of("x-test"));
                }

                @Override
                public Extension accept(ExtensionOffer response, List<Extension> accepted) {
                    seen.add(response);
                    return new NoopExtension();
                }
            };
            ClientProtocol offering = client(builder -> builder.extensions(List.of(factory)));
            assertEquals("x-test; a=1, x-test", offering.connect().headers().get("Sec-WebSocket-Extensions"));
            ClientProtocol client = respond(
                    builder -> builder.extensions(List.of(factory)), true, ok("Sec-WebSocket-Extensions: x-test; a=1"));
            assertEquals(ProtocolState.OPEN, client.state());
            assertEquals(List.of(ExtensionOffer.of("x-test", ExtensionParameter.of("a", "1"))), seen);
            ClientProtocol duplicate = respond(
                    builder -> builder.extensions(List.of(factory)),
                    true,
                    ok("Sec-WebSocket-Extensions: x-test, x-test"));
            assertInstanceOf(NegotiationException.class, duplicate.handshakeException());
        }

        @Test
        void eofDuringTheHandshakeFails() {
            ClientProtocol client = client(builder -> builder);
            client.sendRequest(client.connect());
            client.receiveData(ascii("HTTP/1.1 101 Switching"));
            client.receiveEof();
            assertInstanceOf(InvalidHandshakeException.class, client.handshakeException());
            assertEquals(ProtocolState.CLOSED, client.state());
        }

        @Test
        void aResponseBodyReadUntilEofIsKept() {
            ClientProtocol client = client(builder -> builder);
            client.sendRequest(client.connect());
            client.receiveData(ascii("HTTP/1.1 500 Internal Server Error\r\n\r\nboom"));
            client.receiveEof();
            InvalidStatusException e = assertInstanceOf(InvalidStatusException.class, client.handshakeException());
            assertEquals("boom", new String(e.body(), StandardCharsets.UTF_8));
        }

        @Test
        void anHttp10ServerIsReportedWithItsStatusLine() {
            // python3 -m http.server answers an upgrade request with HTTP/1.0 and closes the connection.
            ClientProtocol client = client(builder -> builder);
            client.sendRequest(client.connect());
            client.receiveData(ascii("HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\n\r\n<html>"));
            client.receiveEof();
            InvalidStatusException e = assertInstanceOf(InvalidStatusException.class, client.handshakeException());
            assertEquals(
                    "server rejected WebSocket connection: HTTP/1.0 200 OK"
                            + " (an HTTP/1.0 server: the WebSocket handshake needs HTTP/1.1)",
                    e.getMessage());
            assertEquals(200, e.status());
            assertEquals("<html>", new String(e.body(), StandardCharsets.UTF_8));
        }

        @Test
        void anHttp10SwitchingProtocolsDoesNotOpenTheConnection() {
            String[] lines = ok();
            lines[0] = "HTTP/1.0 101 Switching Protocols";
            ClientProtocol client = respond(builder -> builder, true, lines);
            InvalidStatusException e = assertInstanceOf(InvalidStatusException.class, client.handshakeException());
            assertTrue(e.getMessage()
                    .startsWith("server rejected WebSocket connection: HTTP/1.0 101 Switching Protocols"));
            assertEquals(ProtocolState.CLOSED, client.state());
        }

        @Test
        void aTlsAlertInsteadOfAResponseSaysTheServerExpectsTls() {
            // What the JDK's TLS server answers plain text with: alert, TLS 1.2, 2 bytes, fatal unexpected_message.
            byte[] alert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a};
            for (int chunk : new int[] {alert.length, 1}) {
                ClientProtocol client = client(builder -> builder);
                client.sendRequest(client.connect());
                client.dataToSend();
                for (int i = 0; i < alert.length; i += chunk) {
                    client.receiveData(ByteBuffer.wrap(alert, i, Math.min(chunk, alert.length - i)));
                }
                InvalidHttpMessageException e =
                        assertInstanceOf(InvalidHttpMessageException.class, client.handshakeException());
                assertEquals(
                        "the server answered with a TLS alert record, not HTTP: it expects TLS, use wss://",
                        e.getMessage());
                assertEquals(ProtocolState.CLOSED, client.state());
                assertEquals(List.of(Protocol.EOF), client.dataToSend());
            }
        }

        @Test
        void aConnectionClosedWithoutAByteHintsAtTlsOnlyForWs() {
            ClientProtocol plain = client(builder -> builder);
            plain.sendRequest(plain.connect());
            plain.receiveEof();
            assertEquals(
                    "connection closed before the response (if the server expects TLS, use wss://)",
                    plain.handshakeException().getMessage());

            ClientProtocol secure = ClientProtocol.builder(WebSocketUri.parse("wss://example.com/"))
                    .build();
            secure.sendRequest(secure.connect());
            secure.receiveEof();
            assertEquals(
                    "connection closed before the response",
                    secure.handshakeException().getMessage());

            ClientProtocol started = client(builder -> builder);
            started.sendRequest(started.connect());
            started.receiveData(ascii("HTTP/1.1 101"));
            started.receiveEof();
            assertTrue(
                    started.handshakeException().getMessage().startsWith("connection closed while reading"),
                    started.handshakeException().getMessage());
        }

        @Test
        void malformedResponsesFail() {
            ClientProtocol client = client(builder -> builder);
            client.sendRequest(client.connect());
            client.receiveData(ascii("HTTP/1.1 abc\r\n\r\n"));
            assertInstanceOf(InvalidHttpMessageException.class, client.handshakeException());
        }
    }

    /** An extension that changes nothing. */
    static class NoopExtension implements Extension {
        @Override
        public String name() {
            return "x-test";
        }

        @Override
        public int rsvBits() {
            return 0;
        }

        @Override
        public Frame decode(Frame frame, long maxMessageSize) {
            return frame;
        }

        @Override
        public Frame encode(Frame frame, boolean compress) {
            return frame;
        }

        @Override
        public void close() {}
    }
}
