package dev.wsflux.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeTest {
    /** RFC 6455 §1.2, the client's handshake. */
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
    class Keys {
        @Test
        void acceptKeyMatchesTheRfc6455Example() {
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
        }

        @Test
        void acceptKeyStartsAfreshOnEveryCallAndEveryThread() throws Exception {
            // The digest is reused: each call must hash its own key only. Second pair: the example of
            // Wikipedia's WebSocket article, computed independently.
            for (int i = 0; i < 3; i++) {
                assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
                assertEquals("HSmrc0sMlYUkAGmm5OPpG2HaGWk=", Handshake.acceptKey("x3JJHMbDL1EzLkh9GBhXDw=="));
            }
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                assertEquals(
                        "HSmrc0sMlYUkAGmm5OPpG2HaGWk=",
                        other.submit(() -> Handshake.acceptKey("x3JJHMbDL1EzLkh9GBhXDw=="))
                                .get());
            } finally {
                other.shutdown();
            }
        }

        @Test
        void generatedKeysAreSixteenRandomBytesInBase64() {
            String key = Handshake.generateKey(new Random(0));

            assertEquals(16, Base64.getDecoder().decode(key).length);
            assertTrue(Handshake.isValidKey(key));
            assertEquals(key, Handshake.generateKey(new Random(0)));
        }

        @Test
        void eachGeneratedKeyIsFresh() {
            Random random = new Random(0);

            assertNotEquals(Handshake.generateKey(random), Handshake.generateKey(random));
        }

        @Test
        void theRfcKeyIsValid() {
            assertTrue(Handshake.isValidKey("dGhlIHNhbXBsZSBub25jZQ=="));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "", // empty
                    "dGhlIHNhbXBsZSBub25jZQ", // 16 bytes without padding
                    "dGhlIHNhbXBsZSBub25jZQ=", // one padding character
                    "dGhlIHNhbXBsZSBub25jZXM=", // 17 bytes
                    "dGhlIHNhbXBsZSBub25j", // 15 bytes
                    "dGhlIHNhbXBsZSBub25jZQ==AAAA", // 19 bytes
                    "dGhlIHNhbXBsZSBub25j!Q==", // a character outside the alphabet
                    "dGhlIHNhbXBsZSBub25j-Q==", // base64url, not base64
                    "dGhlIHNhbXBsZSBub25j=Q==", // padding in the middle
                })
        void malformedKeysAreInvalid(String key) {
            assertFalse(Handshake.isValidKey(key));
        }

        @Test
        void aMissingKeyIsInvalid() {
            assertFalse(Handshake.isValidKey(null));
        }
    }

    /** RFC 7230 §3: the wire form of requests and responses. */
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

            ByteBuffer bytes = Handshake.serialize(request);

            assertEquals(RFC_REQUEST, text(bytes));
            assertEquals(request, HttpParser.forRequests().feed(bytes));
            assertFalse(bytes.hasRemaining());
        }

        @Test
        void serializesTheRfcResponseByteForByteAndParsesItBack() {
            Response response = new Response(
                    101,
                    Handshake.reasonPhrase(101),
                    Headers.of(
                            "Upgrade", "websocket",
                            "Connection", "Upgrade",
                            "Sec-WebSocket-Accept", Handshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ=="),
                            "Sec-WebSocket-Protocol", "chat"),
                    new byte[0]);

            ByteBuffer bytes = Handshake.serialize(response);

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

            ByteBuffer bytes = Handshake.serialize(response);

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

            ByteBuffer bytes = Handshake.serialize(request);

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

                ByteBuffer bytes = Handshake.serialize(response);

                assertEquals("HTTP/1.1 " + status + " R\r\nX: y\r\n\r\nb", text(bytes.duplicate()));
                assertEquals(bytes.capacity(), bytes.remaining());
            }
        }

        @Test
        void writesARequestIntoABufferOfExactlyTheMessage() {
            ByteBuffer bytes = Handshake.serialize(new Request("/a?b", Headers.empty()));

            assertEquals("GET /a?b HTTP/1.1\r\n\r\n", text(bytes.duplicate()));
            assertEquals(bytes.capacity(), bytes.remaining());
        }

        @Test
        void writesAnEmptyReasonPhrase() {
            Response response = new Response(599, Handshake.reasonPhrase(599), Headers.empty(), new byte[0]);

            assertEquals("HTTP/1.1 599 \r\n\r\n", text(Handshake.serialize(response)));
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
                    assertThrows(IllegalArgumentException.class, () -> Handshake.serialize(request))
                            .getMessage());
        }

        private void assertInvalid(String message, Response response) {
            assertEquals(
                    message,
                    assertThrows(IllegalArgumentException.class, () -> Handshake.serialize(response))
                            .getMessage());
        }
    }

    @Nested
    class ReasonPhrases {
        @ParameterizedTest
        @CsvSource({
            "101, Switching Protocols",
            "200, OK",
            "301, Moved Permanently",
            "400, Bad Request",
            "401, Unauthorized",
            "403, Forbidden",
            "404, Not Found",
            "405, Method Not Allowed",
            "413, Content Too Large",
            "414, URI Too Long",
            "426, Upgrade Required",
            "431, Request Header Fields Too Large",
            "500, Internal Server Error",
            "502, Bad Gateway",
            "503, Service Unavailable",
            "505, HTTP Version Not Supported",
        })
        void areTheRegisteredPhrases(int status, String phrase) {
            assertEquals(phrase, Handshake.reasonPhrase(status));
        }

        @Test
        void everyCommonStatusHasAPhrase() {
            int[] statuses = {
                100, 101, 103, 200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304, 305, 307, 308, 400,
                401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422,
                426, 428, 429, 431, 500, 501, 502, 503, 504, 505, 511
            };
            for (int status : statuses) {
                assertFalse(Handshake.reasonPhrase(status).isEmpty(), String.valueOf(status));
            }
        }

        @Test
        void isEmptyForAnUnregisteredStatus() {
            assertEquals("", Handshake.reasonPhrase(599));
        }
    }

    /** RFC 7230 §7: comma-separated lists, here Connection. */
    @Nested
    class TokenLists {
        @Test
        void splitsEveryValueOfEveryHeaderInOrder() {
            Headers headers = Headers.of("Connection", "keep-alive, Upgrade", "X", "y", "connection", "close");

            assertEquals(List.of("keep-alive", "Upgrade", "close"), Handshake.parseTokenList(headers, "Connection"));
        }

        @Test
        void dropsEmptyElementsAndOptionalWhitespace() {
            Headers headers = Headers.of("Connection", ", ,\tUpgrade ,, keep-alive\t,", "Connection", "");

            assertEquals(List.of("Upgrade", "keep-alive"), Handshake.parseTokenList(headers, "Connection"));
        }

        @Test
        void isEmptyWithoutTheHeader() {
            assertEquals(List.of(), Handshake.parseTokenList(Headers.of("X", "y"), "Connection"));
        }

        @Test
        void rejectsAnElementThatIsNotAToken() {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> Handshake.parseTokenList(Headers.of("Connection", "Upgrade, a@b"), "Connection"));

            assertEquals("Connection", e.name());
            assertEquals("Upgrade, a@b", e.value());
            assertEquals(
                    "invalid Connection header: unexpected character '@' at position 10 of \"Upgrade, a@b\"",
                    e.getMessage());
        }

        @Test
        void rejectsNonAsciiCharacters() {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> Handshake.parseTokenList(Headers.of("Connection", "caf\u00e9"), "Connection"));

            assertTrue(e.getMessage().endsWith("unexpected character '\\xe9' at position 3 of \"caf\\xe9\""));
        }

        @Test
        void rejectsTokensSeparatedByWhitespaceOnly() {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> Handshake.parseTokenList(Headers.of("Connection", "keep-alive Upgrade"), "Connection"));

            assertTrue(e.getMessage().endsWith("unexpected character 'U' at position 11 of \"keep-alive Upgrade\""));
        }

        @Test
        void rejectsHeadersWithoutAnyElement() {
            // Connection = 1#connection-option: at least one element.
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> Handshake.parseTokenList(Headers.of("Connection", " , ", "Connection", ""), "Connection"));

            assertEquals("invalid Connection header: empty list: \" , , \"", e.getMessage());
        }
    }

    /** RFC 7230 §6.7: Upgrade = 1#protocol. */
    @Nested
    class Upgrade {
        @Test
        void parsesProtocolsWithAndWithoutVersions() {
            Headers headers = Headers.of("Upgrade", "websocket", "Upgrade", "h2c, foo/1, WebSocket");

            assertEquals(List.of("websocket", "h2c", "foo/1", "WebSocket"), Handshake.parseUpgrade(headers));
        }

        @ParameterizedTest
        @ValueSource(strings = {"foo/", "/1", "foo/1/2", "web socket", "foo/1.0 (x)"})
        void rejectsInvalidProtocols(String value) {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class, () -> Handshake.parseUpgrade(Headers.of("Upgrade", value)));

            assertEquals("Upgrade", e.name());
            assertEquals(value, e.value());
        }
    }

    /** RFC 6455 §9.1: Sec-WebSocket-Extensions. */
    @Nested
    class Extensions {
        @Test
        void parsesTheRfc7692Offers() {
            Headers headers = Headers.of(
                    "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits, permessage-deflate");

            assertEquals(
                    List.of(
                            ExtensionOffer.of("permessage-deflate", ExtensionParameter.of("client_max_window_bits")),
                            ExtensionOffer.of("permessage-deflate")),
                    Handshake.parseExtensions(headers));
        }

        @Test
        void parsesParametersWithTokenValues() {
            Headers headers = Headers.of(
                    "Sec-WebSocket-Extensions",
                    "permessage-deflate; client_max_window_bits=10; server_no_context_takeover");

            assertEquals(
                    List.of(ExtensionOffer.of(
                            "permessage-deflate",
                            ExtensionParameter.of("client_max_window_bits", "10"),
                            ExtensionParameter.of("server_no_context_takeover"))),
                    Handshake.parseExtensions(headers));
        }

        @Test
        void unquotesQuotedValues() {
            Headers headers = Headers.of(
                    "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits=\"10\"; x=\"a\\b\"");

            assertEquals(
                    List.of(ExtensionOffer.of(
                            "permessage-deflate",
                            ExtensionParameter.of("client_max_window_bits", "10"),
                            ExtensionParameter.of("x", "ab"))),
                    Handshake.parseExtensions(headers));
        }

        @Test
        void acceptsOptionalWhitespaceAroundSeparators() {
            Headers headers = Headers.of("Sec-WebSocket-Extensions", " foo ;a = 1 ;\tb\t= \"2\" ;c , bar ");

            assertEquals(
                    List.of(
                            ExtensionOffer.of(
                                    "foo",
                                    ExtensionParameter.of("a", "1"),
                                    ExtensionParameter.of("b", "2"),
                                    ExtensionParameter.of("c")),
                            ExtensionOffer.of("bar")),
                    Handshake.parseExtensions(headers));
        }

        @Test
        void combinesEveryHeaderInOrderAndDropsEmptyElements() {
            Headers headers = Headers.of(
                    "Sec-WebSocket-Extensions", "foo, ,", "Sec-WebSocket-Extensions", "bar; x", "Origin", "o");

            assertEquals(
                    List.of(ExtensionOffer.of("foo"), ExtensionOffer.of("bar", ExtensionParameter.of("x"))),
                    Handshake.parseExtensions(headers));
        }

        @Test
        void isEmptyWithoutTheHeader() {
            assertEquals(List.of(), Handshake.parseExtensions(Headers.empty()));
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '`', // values and messages hold both ' and "
                value = {
                    "foo;                  | unexpected end of \"foo;\"",
                    "foo; =1               | unexpected character '=' at position 5 of \"foo; =1\"",
                    "foo; a=               | unexpected end of \"foo; a=\"",
                    "foo; a=1=2            | unexpected character '=' at position 8 of \"foo; a=1=2\"",
                    "foo bar               | unexpected character 'b' at position 4 of \"foo bar\"",
                    ";a                    | unexpected character ';' at position 0 of \";a\"",
                    "fo@o                  | unexpected character '@' at position 2 of \"fo@o\"",
                    "foo; a=b/c            | unexpected character '/' at position 8 of \"foo; a=b/c\"",
                    "foo; a=\"1 0\"        | quoted value isn't a token: \"1 0\" in \"foo; a=\\x221 0\\x22\"",
                    "foo; a=\"\"           | quoted value isn't a token: \"\" in \"foo; a=\\x22\\x22\"",
                    "foo; a=\"10           | unterminated quoted string at position 7 of \"foo; a=\\x2210\"",
                    "foo; a=\"10\\         | unterminated quoted string at position 7 of \"foo; a=\\x2210\\x5c\"",
                    "foo; a=\"10\"x        | unexpected character 'x' at position 11 of \"foo; a=\\x2210\\x22x\"",
                    ",                     | empty list: \",\"",
                })
        void rejectsValuesOutsideTheGrammar(String value, String message) {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> Handshake.parseExtensions(Headers.of("Sec-WebSocket-Extensions", value)));

            assertEquals("Sec-WebSocket-Extensions", e.name());
            assertEquals(value, e.value());
            assertEquals("invalid Sec-WebSocket-Extensions header: " + message, e.getMessage());
        }

        @Test
        void formatsOffers() {
            List<ExtensionOffer> offers = List.of(
                    ExtensionOffer.of("permessage-deflate", ExtensionParameter.of("client_max_window_bits")),
                    ExtensionOffer.of(
                            "permessage-deflate",
                            ExtensionParameter.of("server_max_window_bits", "10"),
                            ExtensionParameter.of("server_no_context_takeover")));

            String value = Handshake.formatExtensions(offers);

            assertEquals(
                    "permessage-deflate; client_max_window_bits, "
                            + "permessage-deflate; server_max_window_bits=10; server_no_context_takeover",
                    value);
            assertEquals(offers, Handshake.parseExtensions(Headers.of("Sec-WebSocket-Extensions", value)));
        }

        @Test
        void aValueEqualToTheLastOneFormattedIsThatSharedString() {
            // Each session keeps its response: servers answering every client alike share one string.
            List<ExtensionOffer> response = List.of(
                    ExtensionOffer.of("permessage-deflate", ExtensionParameter.of("server_max_window_bits", "12")));
            String first = Handshake.formatExtensions(response);
            String again = Handshake.formatExtensions(List.copyOf(response));
            String other = Handshake.formatExtensions(List.of(ExtensionOffer.of("x-other")));

            assertSame(first, again);
            assertEquals("permessage-deflate; server_max_window_bits=12", first);
            assertEquals("x-other", other);
            assertSame(other, Handshake.formatExtensions(List.of(ExtensionOffer.of("x-other"))));
        }

        @Test
        void formatsNoOffersAsAnEmptyString() {
            assertEquals("", Handshake.formatExtensions(List.of()));
        }

        @Test
        void refusesToFormatWhatIsNotAToken() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Handshake.formatExtensions(List.of(ExtensionOffer.of("per message"))));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Handshake.formatExtensions(List.of(ExtensionOffer.of("x", ExtensionParameter.of("a=b")))));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> Handshake.formatExtensions(
                            List.of(ExtensionOffer.of("x", ExtensionParameter.of("a", "1 0")))));
            assertEquals("extension parameter value isn't a token: 1 0", e.getMessage());
        }
    }

    /** RFC 6455 §4.1 and §11.3.4: Sec-WebSocket-Protocol. */
    @Nested
    class Subprotocols {
        @Test
        void parsesEveryHeaderInOrder() {
            Headers headers = Headers.of(
                    "Sec-WebSocket-Protocol", "chat, superchat", "Sec-WebSocket-Protocol", "v2.json.example.com");

            assertEquals(List.of("chat", "superchat", "v2.json.example.com"), Handshake.parseSubprotocols(headers));
        }

        @Test
        void rejectsSeparatorCharacters() {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> Handshake.parseSubprotocols(Headers.of("Sec-WebSocket-Protocol", "chat/1")));

            assertEquals("Sec-WebSocket-Protocol", e.name());
        }

        @Test
        void formatsSubprotocols() {
            assertEquals("chat, superchat", Handshake.formatSubprotocols(List.of("chat", "superchat")));
            assertEquals("", Handshake.formatSubprotocols(List.of()));
        }

        @Test
        void refusesToFormatWhatIsNotAToken() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> Handshake.formatSubprotocols(List.of("chat", "")));

            assertEquals("subprotocol isn't a token: ", e.getMessage());
        }
    }

    /** RFC 7617: the Basic authentication scheme. */
    @Nested
    class BasicAuthentication {
        @Test
        void encodesTheRfc7617Example() {
            assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", Handshake.basicAuthorization("Aladdin", "open sesame"));
        }

        @Test
        void encodesCredentialsAsUtf8() {
            // RFC 7617 §2.1: "test" and "123£" give "dGVzdDoxMjPCow==".
            assertEquals("Basic dGVzdDoxMjPCow==", Handshake.basicAuthorization("test", "123\u00a3"));
        }

        @Test
        void allowsAColonInThePasswordButNotInTheUser() {
            assertEquals(
                    Map.entry("user", "pa:ss"),
                    Handshake.parseBasicAuthorization(Handshake.basicAuthorization("user", "pa:ss")));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Handshake.basicAuthorization("us:er", "x"));
            assertEquals("user-id contains a colon: us:er", e.getMessage());
        }

        @Test
        void refusesControlCharacters() {
            assertThrows(IllegalArgumentException.class, () -> Handshake.basicAuthorization("user\n", "x"));
            assertThrows(IllegalArgumentException.class, () -> Handshake.basicAuthorization("user", "x\u0085"));
            assertThrows(IllegalArgumentException.class, () -> Handshake.basicAuthorization("user", "x\u007f"));
        }

        @Test
        void parsesCredentialsWithAnySchemeCase() {
            assertEquals(
                    Map.entry("Aladdin", "open sesame"),
                    Handshake.parseBasicAuthorization("basic  QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
            assertEquals(Map.entry("test", "123\u00a3"), Handshake.parseBasicAuthorization("BASIC dGVzdDoxMjPCow=="));
            assertEquals(Map.entry("", ""), Handshake.parseBasicAuthorization("Basic Og==")); // ":"
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "Basic", // no credentials
                    "Basic ", // empty credentials
                    "Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==", // another scheme
                    "Basic QWxhZGRpbg==", // "Aladdin": no colon
                    "Basic QWxh!GRpbjpvcGVuIHNlc2FtZQ==", // not base64
                    "Basic /zo=", // 0xff ':' is not UTF-8
                })
        void returnsNullForAnythingElse(String value) {
            assertNull(Handshake.parseBasicAuthorization(value));
        }

        @Test
        void returnsNullWithoutHeader() {
            assertNull(Handshake.parseBasicAuthorization(null));
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
