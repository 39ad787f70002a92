package dev.wsflux.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.ReasonPhrases;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import dev.wsflux.protocol.http11.WebSocketKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link HttpSerializer}: the wire form of requests and responses. */
class HttpSerializerTest {
    private static final String RFC_REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    /** RFC 6455 §1.2, the server's handshake. */
    private static final String RFC_RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Protocol: chat\r\n"
            + "\r\n";

    /** RFC 6455 §1.3 and §4.2.2. */
    @Nested
    class Serialization {
        @Test
        void serializesTheRfcRequestByteForByteAndParsesItBack() {
            Request request = new Request(
                    "/chat",
                    Headers.of(
                            "Host", "server.example.com",
                            "Upgrade", "websocket",
                            "Connection", "Upgrade",
                            "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
                            "Origin", "http://example.com",
                            "Sec-WebSocket-Protocol", "chat, superchat",
                            "Sec-WebSocket-Version", "13"));

            ByteBuffer bytes = HttpSerializer.serialize(request);

            assertEquals(RFC_REQUEST, text(bytes));
            assertEquals(request, HttpParser.forRequests().feed(bytes));
            assertFalse(bytes.hasRemaining());
        }

        @Test
        void serializesTheRfcResponseByteForByteAndParsesItBack() {
            Response response = new Response(
                    101,
                    ReasonPhrases.of(101),
                    Headers.of(
                            "Upgrade", "websocket",
                            "Connection", "Upgrade",
                            "Sec-WebSocket-Accept", WebSocketKey.accept("dGhlIHNhbXBsZSBub25jZQ=="),
                            "Sec-WebSocket-Protocol", "chat"),
                    new byte[0]);

            ByteBuffer bytes = HttpSerializer.serialize(response);

            assertEquals(RFC_RESPONSE, text(bytes));
            assertEquals(response, HttpParser.forResponses().feed(bytes));
        }

        @Test
        void writesTheBodyAfterTheHeaders() {
            byte[] body = "Failed to open a WebSocket connection.\n".getBytes(StandardCharsets.UTF_8);
            Response response = new Response(
                    426,
                    "Upgrade Required",
                    Headers.of("Content-Length", String.valueOf(body.length), "Upgrade", "websocket"),
                    body);

            ByteBuffer bytes = HttpSerializer.serialize(response);

            assertEquals(0, bytes.position());
            assertEquals(
                    "HTTP/1.1 426 Upgrade Required\r\nContent-Length: 39\r\nUpgrade: websocket\r\n\r\n"
                            + "Failed to open a WebSocket connection.\n",
                    text(bytes));
            assertEquals(response, HttpParser.forResponses().feed(bytes));
        }

        @Test
        void encodesHeaderValuesAsIso88591SoThatParsingIsLossless() {
            Request request = new Request("/", Headers.of("X-Name", "caf\u00e9"));

            ByteBuffer bytes = HttpSerializer.serialize(request);

            assertArrayEquals(
                    "GET / HTTP/1.1\r\nX-Name: caf\u00e9\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                    toArray(bytes.duplicate()));
            assertEquals((byte) 0xe9, bytes.get(bytes.limit() - 5)); // 'é' is one byte
            assertEquals(request, HttpParser.forRequests().feed(bytes));
        }

        @Test
        void writesEachStatusCodeAsThreeDigitsIntoABufferOfExactlyTheMessage() {
            for (int status : new int[] {100, 101, 200, 308, 404, 426, 505, 599}) {
                Response response =
                        new Response(status, "R", Headers.of("X", "y"), "b".getBytes(StandardCharsets.US_ASCII));

                ByteBuffer bytes = HttpSerializer.serialize(response);

                assertEquals("HTTP/1.1 " + status + " R\r\nX: y\r\n\r\nb", text(bytes.duplicate()));
                assertEquals(bytes.capacity(), bytes.remaining());
            }
        }

        @Test
        void writesARequestIntoABufferOfExactlyTheMessage() {
            ByteBuffer bytes = HttpSerializer.serialize(new Request("/a?b", Headers.empty()));

            assertEquals("GET /a?b HTTP/1.1\r\n\r\n", text(bytes.duplicate()));
            assertEquals(bytes.capacity(), bytes.remaining());
        }

        @Test
        void writesAnEmptyReasonPhrase() {
            Response response = new Response(599, ReasonPhrases.of(599), Headers.empty(), new byte[0]);

            assertEquals("HTTP/1.1 599 \r\n\r\n", text(HttpSerializer.serialize(response)));
        }

        @Test
        void rejectsRequestsThatWouldNotParse() {
            assertInvalid("invalid method: G\\x22T", new Request("G\"T", "/", Headers.empty()));
            assertInvalid("invalid method: ", new Request("", "/", Headers.empty()));
            assertInvalid("invalid request target: ", new Request("", Headers.empty()));
            assertInvalid("invalid request target: /a b", new Request("/a b", Headers.empty()));
            assertInvalid("invalid request target: /caf\\xe9", new Request("/caf\u00e9", Headers.empty()));
            assertInvalid("invalid request target: /\\x7f", new Request("/\u007f", Headers.empty()));
            assertInvalid("invalid header name: X Y", new Request("/", Headers.of("X Y", "z")));
            assertInvalid("invalid value of header X: a\\x00", new Request("/", Headers.of("X", "a\u0000")));
            assertInvalid("invalid value of header X: \\u20ac", new Request("/", Headers.of("X", "\u20ac")));
        }

        @Test
        void rejectsResponsesThatWouldNotParse() {
            assertInvalid("invalid status: 99", new Response(99, "", Headers.empty(), new byte[0]));
            assertInvalid("invalid status: 600", new Response(600, "", Headers.empty(), new byte[0]));
            assertInvalid("invalid reason phrase: a\\x7f", new Response(400, "a\u007f", Headers.empty(), new byte[0]));
            assertInvalid(
                    "invalid value of header X: \\x01",
                    new Response(400, "Bad", Headers.of("X", "\u0001"), new byte[0]));
        }

        private void assertInvalid(String message, Request request) {
            assertEquals(
                    message,
                    assertThrows(IllegalArgumentException.class, () -> HttpSerializer.serialize(request))
                            .getMessage());
        }

        private void assertInvalid(String message, Response response) {
            assertEquals(
                    message,
                    assertThrows(IllegalArgumentException.class, () -> HttpSerializer.serialize(response))
                            .getMessage());
        }
    }

    private static String text(ByteBuffer bytes) {
        return new String(toArray(bytes.duplicate()), StandardCharsets.ISO_8859_1);
    }

    private static byte[] toArray(ByteBuffer bytes) {
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return array;
    }
}
