package dev.wsflux.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHttpMessageException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpParserTest {
    private static final Supplier<HttpParser> REQUESTS = HttpParser::forRequests;
    private static final Supplier<HttpParser> RESPONSES = HttpParser::forResponses;

    /** A text frame "Hello", unmasked: what may follow the handshake in the same read. */
    private static final String FRAME_HEX = "810548656c6c6f"; // FIN + text, length 5, "Hello"

    /** RFC 6455 §1.2, the client's handshake. */
    private static final String RFC_REQUEST = message(
            "GET /chat HTTP/1.1",
            "Host: server.example.com",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Origin: http://example.com",
            "Sec-WebSocket-Protocol: chat, superchat",
            "Sec-WebSocket-Version: 13");

    /** RFC 6455 §1.2, the server's handshake. */
    private static final String RFC_RESPONSE = message(
            "HTTP/1.1 101 Switching Protocols",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
            "Sec-WebSocket-Protocol: chat");

    @Nested
    class Requests {
        @Test
        void parsesTheRfc6455OpeningHandshake() {
            Request expected = new Request(
                    "GET",
                    "/chat",
                    Headers.of(
                            "Host", "server.example.com",
                            "Upgrade", "websocket",
                            "Connection", "Upgrade",
                            "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==",
                            "Origin", "http://example.com",
                            "Sec-WebSocket-Protocol", "chat, superchat",
                            "Sec-WebSocket-Version", "13"));

            Event request = parseEveryWay(REQUESTS, bytes(RFC_REQUEST));

            assertEquals(expected, request);
            assertEquals(
                    List.of(
                            "Host",
                            "Upgrade",
                            "Connection",
                            "Sec-WebSocket-Key",
                            "Origin",
                            "Sec-WebSocket-Protocol",
                            "Sec-WebSocket-Version"),
                    ((Request) request)
                            .headers().entries().stream().map(Map.Entry::getKey).toList());
        }

        @Test
        void leavesTheBytesAfterTheRequestUnconsumed() {
            byte[] input = concat(bytes(RFC_REQUEST), hex(FRAME_HEX));

            Event request = parseEveryWay(REQUESTS, input, bytes(RFC_REQUEST).length, false);

            assertEquals("/chat", ((Request) request).path());
        }

        @Test
        void trimsOptionalWhitespaceAroundHeaderValues() {
            Request request = (Request) parseEveryWay(
                    REQUESTS, bytes(message("GET / HTTP/1.1", "Host: \t example.com \t", "X-Empty:", "X-Blank:   ")));

            assertEquals(Headers.of("Host", "example.com", "X-Empty", "", "X-Blank", ""), request.headers());
        }

        @Test
        void keepsInnerWhitespaceAndRepeatedHeaders() {
            Request request =
                    (Request) parseEveryWay(REQUESTS, bytes(message("GET / HTTP/1.1", "X-A: one  two", "x-a: three")));

            assertEquals(List.of("one  two", "three"), request.headers().all("X-A"));
        }

        @Test
        void decodesObsTextAsIso88591() {
            // "X-Name: caf" + 0xe9: obs-text is opaque data, kept byte for byte
            Request request = (Request) parseEveryWay(REQUESTS, bytes(message("GET / HTTP/1.1", "X-Name: caf\u00e9")));

            assertEquals("caf\u00e9", request.headers().get("X-Name"));
        }

        @Test
        void ignoresEmptyLinesBeforeTheRequestLine() {
            Request request = (Request) parseEveryWay(REQUESTS, bytes("\r\n\r\n" + message("GET /a HTTP/1.1")));

            assertEquals(new Request("/a", Headers.empty()), request);
        }

        @Test
        void returnsAnyMethodAndTargetForTheServerToCheck() {
            Request request = (Request) parseEveryWay(REQUESTS, bytes(message("POST ws://example.com/a?b=c HTTP/1.1")));

            assertEquals("POST", request.method());
            assertEquals("ws://example.com/a?b=c", request.path());
        }

        @Test
        void acceptsAZeroContentLength() {
            Request request = (Request) parseEveryWay(REQUESTS, bytes(message("GET / HTTP/1.1", "Content-Length: 0")));

            assertEquals("0", request.headers().get("Content-Length"));
        }
    }

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                Arguments.of(message("GET"), "invalid request line: \"GET\""),
                Arguments.of(message("GET /chat"), "invalid request line: \"GET /chat\""),
                Arguments.of(message("GET HTTP/1.1"), "invalid request line: \"GET HTTP/1.1\""),
                Arguments.of(message("GET  /chat HTTP/1.1"), "invalid request line: \"GET  /chat HTTP/1.1\""),
                Arguments.of(message("GET  HTTP/1.1"), "invalid request target: \"\""),
                Arguments.of(message("GET /chat HTTP/1.1 extra"), "invalid request line"),
                Arguments.of(message(" /chat HTTP/1.1"), "invalid method: \"\""),
                Arguments.of(message("G(T /chat HTTP/1.1"), "invalid method: \"G(T\""),
                Arguments.of(message("GET /caf\u00e9 HTTP/1.1"), "invalid request target: \"/caf\\xe9\""),
                Arguments.of(message("GET /a\u0000 HTTP/1.1"), "invalid request target: \"/a\\x00\""),
                Arguments.of(message("GET /a\u007f HTTP/1.1"), "invalid request target: \"/a\\x7f\""),
                Arguments.of(message("GET / http/1.1"), "invalid http version: \"http/1.1\""),
                Arguments.of(message("GET / HTTP/1.10"), "invalid http version: \"HTTP/1.10\""),
                Arguments.of(message("GET / HTTP/1x1"), "invalid http version: \"HTTP/1x1\""),
                Arguments.of(message("GET / HTTP/x.1"), "invalid http version: \"HTTP/x.1\""),
                Arguments.of(message("GET / HTTP/1.x"), "invalid http version: \"HTTP/1.x\""),
                Arguments.of(message("GET / XTTP/1.1"), "invalid http version: \"XTTP/1.1\""),
                Arguments.of(
                        "GET / HTTP/1.1\nHost: a\n\n", "line ends with a bare LF instead of CRLF: \"GET / HTTP/1.1\""),
                Arguments.of(
                        "GET / HTTP/1.1\r\nHost: a\n\r\n", "line ends with a bare LF instead of CRLF: \"Host: a\""),
                Arguments.of("\n", "line ends with a bare LF instead of CRLF: \"\""),
                Arguments.of(
                        message("GET / HTTP/1.1", "Host example.com"), "invalid header line: \"Host example.com\""),
                Arguments.of(message("GET / HTTP/1.1", "Host : example.com"), "invalid header name: \"Host \""),
                Arguments.of(message("GET / HTTP/1.1", ": example.com"), "invalid header name: \"\""),
                Arguments.of(message("GET / HTTP/1.1", "Ho\"st: example.com"), "invalid header name: \"Ho\\x22st\""),
                Arguments.of(message("GET / HTTP/1.1", "H\u00f6st: example.com"), "invalid header name: \"H\\xf6st\""),
                Arguments.of(
                        message("GET / HTTP/1.1", "X: a\u0001b"),
                        "invalid character 0x01 in header value: \"a\\x01b\""),
                Arguments.of(message("GET / HTTP/1.1", "X: a\u007fb"), "invalid character 0x7f in header value"),
                Arguments.of(message("GET / HTTP/1.1", "X: a\rb"), "invalid character 0x0d in header value"),
                Arguments.of(message("GET / HTTP/1.1", "X: a", " b"), "obsolete line folding in header X: \" b\""),
                Arguments.of(
                        message("GET / HTTP/1.1", "\tHost: a"), "whitespace before the first header: \"\\x09Host: a\""),
                Arguments.of(
                        message("GET / HTTP/1.1", "Transfer-Encoding: chunked"),
                        "unexpected body in handshake request: transfer-encoding chunked"),
                Arguments.of(
                        message("GET / HTTP/1.1", "Content-Length: 5"),
                        "unexpected body in handshake request: content-length 5"),
                Arguments.of(message("GET / HTTP/1.1", "Content-Length: five"), "invalid content-length: \"five\""),
                Arguments.of(message("GET / HTTP/1.1", "Content-Length: -1"), "invalid content-length: \"-1\""),
                Arguments.of(message("GET / HTTP/1.1", "Content-Length: 0,"), "invalid content-length: \"0,\""),
                Arguments.of(
                        message("GET / HTTP/1.1", "Content-Length: 0", "Content-Length: 1"),
                        "conflicting content-length: \"0, 1\""),
                // Zero spelled any other way than a single "0": parsers are not guaranteed to read leading zeros
                // alike, and a repeated value may be refused (RFC 9110 §8.6).
                Arguments.of(
                        message("GET / HTTP/1.1", "Content-Length: 00"),
                        "ambiguous content-length in handshake request: \"00\""),
                Arguments.of(
                        message("GET / HTTP/1.1", "Content-Length: 0, 0"),
                        "ambiguous content-length in handshake request: \"0, 0\""),
                Arguments.of(
                        message("GET / HTTP/1.1", "Content-Length: 0", "content-length: 0"),
                        "ambiguous content-length in handshake request: \"0, 0\""));
    }

    @Nested
    class MalformedRequests {
        @ParameterizedTest
        @MethodSource("dev.wsflux.protocol.codec.HttpParserTest#malformedRequests")
        void areRejectedWith400(String input, String message) {
            InvalidHttpMessageException e = failEveryWay(REQUESTS, bytes(input), false);

            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        }

        @Test
        void anotherHttpVersionIsRejectedWith505() {
            for (String version : List.of("HTTP/1.0", "HTTP/2.0", "HTTP/0.9")) {
                InvalidHttpMessageException e = failEveryWay(REQUESTS, bytes(message("GET / " + version)), false);

                assertEquals(505, e.status());
                assertEquals("unsupported http version: " + version, e.getMessage());
            }
        }

        @Test
        void longValuesAreTruncatedInErrorMessages() {
            String name = "X(" + "a".repeat(200);

            InvalidHttpMessageException e =
                    failEveryWay(REQUESTS, bytes(message("GET / HTTP/1.1", name + ": b")), false);

            assertEquals("invalid header name: \"" + name.substring(0, 80) + "...\"", e.getMessage());
        }
    }

    @Nested
    class Limits {
        @Test
        void keepsEveryByteOfLinesThatGrowTheLineBufferAndOfShorterLinesAfterThem() {
            // The line buffer starts at 256 bytes and doubles: lengths around each step, the CR included.
            int[] lengths = {254, 255, 256, 257, 511, 512, 513, 1025, 4097};
            List<String> lines = new ArrayList<>();
            lines.add("GET / HTTP/1.1");
            for (int i = 0; i < lengths.length; i++) {
                String prefix = "X" + i + ": ";
                StringBuilder value = new StringBuilder();
                for (int j = 0; value.length() < lengths[i] - prefix.length(); j++) {
                    value.append((char) ('a' + (i + j) % 26));
                }
                lines.add(prefix + value);
            }
            lines.add("Y: short");

            Request request = (Request) parseEveryWay(REQUESTS, bytes(message(lines.toArray(String[]::new))));

            for (int i = 0; i < lengths.length; i++) {
                String line = lines.get(i + 1);
                assertEquals(lengths[i], line.length());
                assertEquals(
                        line.substring(("X" + i + ": ").length()),
                        request.headers().get("X" + i));
            }
            assertEquals("short", request.headers().get("Y"));
        }

        @Test
        void acceptsAHeaderLineOfMaxLineLength() {
            String value = "a".repeat(HttpParser.MAX_LINE_LENGTH - "X: ".length());

            Request request = (Request) parseEveryWay(REQUESTS, bytes(message("GET / HTTP/1.1", "X: " + value)));

            assertEquals(value, request.headers().get("X"));
        }

        @Test
        void rejectsAHeaderLineLongerThanMaxLineLengthWith431() {
            String line = "X: " + "a".repeat(HttpParser.MAX_LINE_LENGTH - 2);

            InvalidHttpMessageException e = failEveryWay(REQUESTS, bytes(message("GET / HTTP/1.1", line)), false);

            assertEquals(431, e.status());
            assertEquals("header line too long: more than 8192 bytes", e.getMessage());
        }

        @Test
        void acceptsARequestLineOfMaxLineLength() {
            String target = "/" + "a".repeat(HttpParser.MAX_LINE_LENGTH - "GET / HTTP/1.1".length());

            Request request = (Request) parseEveryWay(REQUESTS, bytes(message("GET " + target + " HTTP/1.1")));

            assertEquals(target, request.path());
        }

        @Test
        void rejectsARequestLineLongerThanMaxLineLengthWith414() {
            String target = "/" + "a".repeat(HttpParser.MAX_LINE_LENGTH - "GET / HTTP/1.1".length() + 1);

            InvalidHttpMessageException e =
                    failEveryWay(REQUESTS, bytes(message("GET " + target + " HTTP/1.1")), false);

            assertEquals(414, e.status());
            assertEquals("request line too long: more than 8192 bytes", e.getMessage());
        }

        @Test
        void rejectsALongLineBeforeItsEnd() {
            // No CRLF ever comes: the parser must not wait for one.
            HttpParser parser = HttpParser.forRequests();
            byte[] input = bytes("GET /" + "a".repeat(HttpParser.MAX_LINE_LENGTH));

            InvalidHttpMessageException e =
                    assertThrows(InvalidHttpMessageException.class, () -> parser.feed(ByteBuffer.wrap(input)));

            assertEquals(414, e.status());
        }

        @Test
        void rejectsACrThatWouldMakeALineTooLongEvenIfLfFollows() {
            String line = "X: " + "a".repeat(HttpParser.MAX_LINE_LENGTH - 3) + "\r\r";

            InvalidHttpMessageException e =
                    failEveryWay(REQUESTS, bytes("GET / HTTP/1.1\r\n" + line + "\n\r\n"), false);

            assertEquals(431, e.status());
        }

        @Test
        void acceptsMaxHeadersHeaderLines() {
            Request request = (Request) parseEveryWay(REQUESTS, bytes(messageWithHeaders("GET / HTTP/1.1", 128)));

            assertEquals(HttpParser.MAX_HEADERS, request.headers().size());
        }

        @Test
        void rejectsMoreThanMaxHeadersHeaderLinesWith431() {
            InvalidHttpMessageException e =
                    failEveryWay(REQUESTS, bytes(messageWithHeaders("GET / HTTP/1.1", 129)), false);

            assertEquals(431, e.status());
            assertEquals("too many header lines: more than 128", e.getMessage());
        }

        @Test
        void appliesTheLimitsToResponsesToo() {
            String longLine = "X: " + "a".repeat(HttpParser.MAX_LINE_LENGTH);
            String longStatus = "HTTP/1.1 101 " + "a".repeat(HttpParser.MAX_LINE_LENGTH);

            InvalidHttpMessageException header =
                    failEveryWay(RESPONSES, bytes(message("HTTP/1.1 101 OK", longLine)), false);
            InvalidHttpMessageException status = failEveryWay(RESPONSES, bytes(message(longStatus)), false);
            InvalidHttpMessageException count =
                    failEveryWay(RESPONSES, bytes(messageWithHeaders("HTTP/1.1 101 OK", 129)), false);

            assertEquals("header line too long: more than 8192 bytes", header.getMessage());
            assertEquals("status line too long: more than 8192 bytes", status.getMessage());
            assertEquals("too many header lines: more than 128", count.getMessage());
            assertEquals(List.of(431, 431, 431), List.of(header.status(), status.status(), count.status()));
        }
    }

    @Nested
    class Responses {
        @Test
        void parsesTheRfc6455OpeningHandshakeAndLeavesTheFramesThatFollow() {
            Response expected = new Response(
                    101,
                    "Switching Protocols",
                    Headers.of(
                            "Upgrade", "websocket",
                            "Connection", "Upgrade",
                            "Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                            "Sec-WebSocket-Protocol", "chat"),
                    new byte[0]);
            byte[] input = concat(bytes(RFC_RESPONSE), hex(FRAME_HEX));

            Event response = parseEveryWay(RESPONSES, input, bytes(RFC_RESPONSE).length, false);

            assertEquals(expected, response);
        }

        @Test
        void readsNoBodyAfterA101EvenWithContentLength() {
            byte[] head = bytes(message("HTTP/1.1 101 Switching Protocols", "Content-Length: 7"));

            Response response = (Response) parseEveryWay(RESPONSES, concat(head, hex(FRAME_HEX)), head.length, false);

            assertEquals(0, response.body().length);
        }

        @Test
        void acceptsAStatusLineWithoutReasonPhrase() {
            Response noSpace = (Response) parseEveryWay(RESPONSES, bytes(message("HTTP/1.1 101")));
            Response space = (Response) parseEveryWay(RESPONSES, bytes(message("HTTP/1.1 101 ")));

            assertEquals("", noSpace.reason());
            assertEquals("", space.reason());
        }

        @Test
        void keepsTheReasonPhraseAsSent() {
            Response response =
                    (Response) parseEveryWay(RESPONSES, bytes(message("HTTP/1.1 101 Let's \tgo caf\u00e9")));

            assertEquals("Let's \tgo caf\u00e9", response.reason());
        }

        @Test
        void skipsInterimResponses() {
            String input = message("HTTP/1.1 100 Continue")
                    + message("HTTP/1.1 103 Early Hints", "Link: </style.css>; rel=preload")
                    + RFC_RESPONSE;

            Response response = (Response) parseEveryWay(RESPONSES, bytes(input));

            assertEquals(parseEveryWay(RESPONSES, bytes(RFC_RESPONSE)), response);
        }

        @Test
        void unfoldsObsoleteLineFolding() {
            Response response = (Response)
                    parseEveryWay(RESPONSES, bytes(message("HTTP/1.1 101 OK", "X: a", "  b ", "\t", "\tc", "Y: d")));

            assertEquals(Headers.of("X", "a b c", "Y", "d"), response.headers());
        }

        @Test
        void unfoldsAWellKnownValueIntoAValueOfItsOwn() {
            Response response = (Response) parseEveryWay(
                    RESPONSES,
                    bytes(message("HTTP/1.1 101 OK", "Connection: keep-alive,", " Upgrade", "Upgrade: websocket")));

            assertEquals(Headers.of("Connection", "keep-alive, Upgrade", "Upgrade", "websocket"), response.headers());
        }

        @Test
        void unfoldsTheLastHeaderBeforeTheEmptyLine() {
            Response response = (Response)
                    parseEveryWay(RESPONSES, bytes(message("HTTP/1.1 101 OK", "Upgrade: websocket", "\tx", " y")));

            assertEquals(Headers.of("Upgrade", "websocket x y"), response.headers());
        }

        @Test
        void unfoldsIntoAnEmptyValue() {
            Response response = (Response) parseEveryWay(RESPONSES, bytes(message("HTTP/1.1 101 OK", "X:", " b")));

            assertEquals("b", response.headers().get("X"));
        }

        @Test
        void rejectsWhitespaceBeforeTheFirstHeader() {
            InvalidHttpMessageException e = failEveryWay(RESPONSES, bytes(message("HTTP/1.1 101 OK", " X: a")), false);

            assertEquals("whitespace before the first header: \" X: a\"", e.getMessage());
        }

        @Test
        void readsAnHttp10ResponseAndTellsItsVersion() {
            // What python3 -m http.server answers an upgrade request with.
            byte[] input = bytes(
                    "HTTP/1.0 404 File not found\r\nServer: SimpleHTTP/0.6\r\nContent-Length: 5\r\n\r\n" + "nope\n");
            for (Partition partition : everyPartition(input)) {
                HttpParser parser = HttpParser.forResponses();
                Response response =
                        (Response) feed(parser, partition.chunks(), false).event();

                assertEquals(404, response.status(), partition.name());
                assertEquals("File not found", response.reason(), partition.name());
                assertEquals("nope\n", new String(response.body(), StandardCharsets.ISO_8859_1), partition.name());
                assertEquals("HTTP/1.0", parser.httpVersion(), partition.name());
            }
            HttpParser http11 = HttpParser.forResponses();
            http11.feed(ByteBuffer.wrap(bytes(RFC_RESPONSE)));
            assertEquals("HTTP/1.1", http11.httpVersion());
        }

        @Test
        void rejectsAnotherHttpVersionWith505QuotingTheStatusLine() {
            InvalidHttpMessageException e = failEveryWay(RESPONSES, bytes(message("HTTP/2.0 101 OK")), false);

            assertEquals(505, e.status());
            assertEquals("unsupported http version in status line: \"HTTP/2.0 101 OK\"", e.getMessage());
        }
    }

    static Stream<Arguments> malformedResponses() {
        return Stream.of(
                Arguments.of(message("HTTP/1.1"), "invalid status line: \"HTTP/1.1\""),
                Arguments.of(message("HTTP/1.1 1O1 OK"), "invalid status code in status line: \"HTTP/1.1 1O1 OK\""),
                Arguments.of(message("HTTP/1.1 10"), "invalid status code in status line"),
                Arguments.of(message("HTTP/1.1 1011 OK"), "invalid status code in status line"),
                Arguments.of(message("HTTP/1.1  101 OK"), "invalid status code in status line"),
                Arguments.of(message("HTTP/1.1 099 OK"), "invalid status code: 099"),
                Arguments.of(message("HTTP/1.1 600 OK"), "invalid status code: 600"),
                Arguments.of(message("HTTP/1.1 101 O\u0000K"), "invalid reason phrase: \"O\\x00K\""),
                Arguments.of(message("HTTP/2 101 OK"), "invalid http version: \"HTTP/2\""),
                Arguments.of(message(""), "invalid status line: \"\""),
                Arguments.of(message("HTTP/1.1 101 OK", "X: a\u0000"), "invalid character 0x00 in header value"),
                Arguments.of(message("HTTP/1.1 101 OK", "X: a", " b\u0000"), "invalid character 0x00 in header value"));
    }

    @Nested
    class MalformedResponses {
        @ParameterizedTest
        @MethodSource("dev.wsflux.protocol.codec.HttpParserTest#malformedResponses")
        void areRejectedWith400(String input, String message) {
            InvalidHttpMessageException e = failEveryWay(RESPONSES, bytes(input), false);

            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        }
    }

    /**
     * A session keeps its handshake for its whole life: the methods, targets, reason phrases, header names and
     * values that most handshakes hold are one shared string, not a copy per connection.
     */
    @Nested
    class SharedStrings {
        @Test
        void wellKnownPartsOfARequestAreTheSharedStrings() {
            byte[] input = bytes(message(
                    "GET / HTTP/1.1",
                    "Host: example.com",
                    "Upgrade: websocket",
                    "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Version: 13",
                    "X-Empty:"));

            for (Event event : parsedEveryWay(REQUESTS, input)) {
                Request request = (Request) event;
                List<Map.Entry<String, String>> entries = request.headers().entries();
                assertSame("GET", request.method());
                assertSame("/", request.path());
                assertSame("Host", entries.get(0).getKey());
                assertSame("Upgrade", entries.get(1).getKey());
                assertSame("websocket", entries.get(1).getValue());
                assertSame("Connection", entries.get(2).getKey());
                assertSame("Upgrade", entries.get(2).getValue());
                assertSame("Sec-WebSocket-Key", entries.get(3).getKey());
                assertSame("Sec-WebSocket-Version", entries.get(4).getKey());
                assertSame("13", entries.get(4).getValue());
                assertSame("", entries.get(5).getValue());
            }
        }

        @Test
        void lowerCaseNamesAreSharedToo() {
            List<Event> events = parsedEveryWay(
                    REQUESTS, bytes(message("GET / HTTP/1.1", "host: example.com", "sec-websocket-key: a")));
            Headers first = ((Request) events.get(0)).headers();

            assertEquals(List.of("host", "sec-websocket-key"), names(first));
            for (Event event : events) {
                Headers headers = ((Request) event).headers();
                assertSame(
                        first.entries().get(0).getKey(),
                        headers.entries().get(0).getKey());
                assertSame(
                        first.entries().get(1).getKey(),
                        headers.entries().get(1).getKey());
            }
        }

        @Test
        void aNameInAnotherCaseKeepsTheCaseItWasReceivedIn() {
            Request request = (Request) parseEveryWay(
                    REQUESTS, bytes(message("GET / HTTP/1.1", "hOsT: a", "HOST: b", "UpGrade: websocket")));

            assertEquals(List.of("hOsT", "HOST", "UpGrade"), names(request.headers()));
            assertEquals(List.of("a", "b"), request.headers().all("Host"));
            assertSame("websocket", request.headers().get("upgrade"));
        }

        @Test
        void otherStringsAreReadAsReceived() {
            // The same lengths as well-known strings ("Host", "GET", "/", "13", "OK"), other bytes.
            Request request = (Request) parseEveryWay(
                    REQUESTS,
                    bytes(message("PUT /a HTTP/1.1", "Hose: 14", "X-A-Header-Name-Longer-Than-Any-Known-One: x")));

            assertEquals("PUT", request.method());
            assertEquals("/a", request.path());
            assertEquals(
                    List.of(Map.entry("Hose", "14"), Map.entry("X-A-Header-Name-Longer-Than-Any-Known-One", "x")),
                    request.headers().entries());
            assertEquals("Ok", ((Response) parseEveryWay(RESPONSES, bytes(message("HTTP/1.1 101 Ok")))).reason());
        }

        @Test
        void wellKnownPartsOfAResponseAreTheSharedStrings() {
            for (Event event : parsedEveryWay(RESPONSES, bytes(RFC_RESPONSE))) {
                Response response = (Response) event;
                List<Map.Entry<String, String>> entries = response.headers().entries();
                assertSame("Switching Protocols", response.reason());
                assertSame("Upgrade", entries.get(0).getKey());
                assertSame("websocket", entries.get(0).getValue());
                assertSame("Sec-WebSocket-Accept", entries.get(2).getKey());
                assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", entries.get(2).getValue());
            }
        }

        private List<String> names(Headers headers) {
            return headers.entries().stream().map(Map.Entry::getKey).toList();
        }
    }

    @Nested
    class ResponseBodies {
        @Test
        void readsContentLengthBytesAndLeavesTheRest() {
            byte[] message = bytes(message("HTTP/1.1 403 Forbidden", "Content-Length: 5") + "hello");

            Response response =
                    (Response) parseEveryWay(RESPONSES, concat(message, bytes("EXTRA")), message.length, false);

            assertEquals("hello", response.bodyText());
            assertEquals("Forbidden", response.reason());
        }

        @Test
        void acceptsRepeatedIdenticalContentLengths() {
            Response response = (Response) parseEveryWay(
                    RESPONSES,
                    bytes(message("HTTP/1.1 400 Bad Request", "Content-Length: 3, 003", "Content-Length: 3") + "bad"));

            assertEquals("bad", response.bodyText());
        }

        @Test
        void returnsAnEmptyBodyForContentLengthZero() {
            byte[] message = bytes(message("HTTP/1.1 404 Not Found", "Content-Length: 0"));

            Response response = (Response) parseEveryWay(RESPONSES, concat(message, bytes("x")), message.length, false);

            assertArrayEquals(new byte[0], response.body());
        }

        @Test
        void decodesAChunkedBody() {
            String chunked = "5\r\nhello\r\n" // a chunk of 5 bytes
                    + "006 ; name=value;flag\r\n world\r\n" // leading zeros, extensions ignored
                    + "a\r\n, chunked!\r\n" // lower-case hex
                    + "0\r\n" // last chunk
                    + "Expires: never\r\n" // a trailer, discarded
                    + "\r\n";
            byte[] message = bytes(message("HTTP/1.1 401 Unauthorized", "Transfer-Encoding: gzip, Chunked") + chunked);

            Response response =
                    (Response) parseEveryWay(RESPONSES, concat(message, bytes("GET")), message.length, false);

            assertEquals("hello world, chunked!", response.bodyText());
        }

        @Test
        void findsTheLastTransferCodingAcrossHeadersParametersAndEmptyElements() {
            String head =
                    message("HTTP/1.1 400 Bad", "Transfer-Encoding: foo;x=1", "Transfer-Encoding: chunked;y=2 , ,");

            Response response = (Response) parseEveryWay(RESPONSES, bytes(head + "1\r\na\r\n0\r\n\r\n"));

            assertEquals("a", response.bodyText());
        }

        @Test
        void decodesAnEmptyChunkedBody() {
            Response response = (Response) parseEveryWay(
                    RESPONSES, bytes(message("HTTP/1.1 500 Oops", "Transfer-Encoding: chunked") + "000\r\n\r\n"));

            assertEquals(0, response.body().length);
        }

        @Test
        void readsUntilTheEndOfTheConnectionWithoutALength() {
            byte[] input = bytes(message("HTTP/1.1 503 Service Unavailable", "Retry-After: 10") + "try later");

            Response response = (Response) parseEveryWay(RESPONSES, input, input.length, true);

            assertEquals("try later", response.bodyText());
        }

        @Test
        void readsUntilTheEndOfTheConnectionWhenChunkedIsNotTheLastCoding() {
            byte[] input = bytes(message("HTTP/1.1 400 Bad Request", "Transfer-Encoding: chunked, gzip") + "3\r\nabc");

            Response response = (Response) parseEveryWay(RESPONSES, input, input.length, true);

            assertEquals("3\r\nabc", response.bodyText());
        }

        @Test
        void returnsAnEmptyBodyWhenTheConnectionClosesAtOnce() {
            byte[] input = bytes(message("HTTP/1.1 400 Bad Request"));

            Response response = (Response) parseEveryWay(RESPONSES, input, input.length, true);

            assertEquals(0, response.body().length);
        }

        @Test
        void readsNoBodyFor204And304() {
            for (String status : List.of("204 No Content", "304 Not Modified")) {
                byte[] head = bytes(message("HTTP/1.1 " + status, "Content-Length: 4"));

                Response response =
                        (Response) parseEveryWay(RESPONSES, concat(head, bytes("next")), head.length, false);

                assertEquals(0, response.body().length);
            }
        }

        @Test
        void rejectsTransferEncodingWithContentLength() {
            InvalidHttpMessageException e = failEveryWay(
                    RESPONSES,
                    bytes(message("HTTP/1.1 400 Bad", "Content-Length: 3", "Transfer-Encoding: chunked")),
                    false);

            assertEquals(400, e.status());
            assertEquals("response has both transfer-encoding and content-length", e.getMessage());
        }

        @Test
        void rejectsInvalidAndConflictingContentLengths() {
            InvalidHttpMessageException invalid =
                    failEveryWay(RESPONSES, bytes(message("HTTP/1.1 400 Bad", "Content-Length: 1e3")), false);
            InvalidHttpMessageException conflicting =
                    failEveryWay(RESPONSES, bytes(message("HTTP/1.1 400 Bad", "Content-Length: 1, 2")), false);

            assertEquals("invalid content-length: \"1e3\"", invalid.getMessage());
            assertEquals("conflicting content-length: \"1, 2\"", conflicting.getMessage());
        }

        @Test
        void rejectsInvalidChunkSizes() {
            for (String size : List.of("", "x", "-1", "1 2", "\u00e9")) {
                InvalidHttpMessageException e = failEveryWay(
                        RESPONSES,
                        bytes(message("HTTP/1.1 400 Bad", "Transfer-Encoding: chunked") + size + "\r\n"),
                        false);

                assertEquals(400, e.status());
                assertTrue(e.getMessage().startsWith("invalid chunk size: "), e.getMessage());
            }
        }

        @Test
        void rejectsChunkDataNotFollowedByCrlf() {
            String head = message("HTTP/1.1 400 Bad", "Transfer-Encoding: chunked");

            InvalidHttpMessageException noCr = failEveryWay(RESPONSES, bytes(head + "3\r\nabcd\r\n"), false);
            InvalidHttpMessageException noLf = failEveryWay(RESPONSES, bytes(head + "3\r\nabc\rd"), false);

            assertEquals("chunk data not followed by CRLF: got 0x64", noCr.getMessage());
            assertEquals("chunk data not followed by CRLF: got 0x64", noLf.getMessage());
        }

        @Test
        void appliesTheLineLimitsToChunkSizesAndTrailers() {
            String head = message("HTTP/1.1 400 Bad", "Transfer-Encoding: chunked");
            String longExtension = "1;" + "x".repeat(HttpParser.MAX_LINE_LENGTH);
            StringBuilder trailers = new StringBuilder("0\r\n");
            for (int i = 0; i <= HttpParser.MAX_HEADERS; i++) {
                trailers.append("T").append(i).append(": v\r\n");
            }

            InvalidHttpMessageException size = failEveryWay(RESPONSES, bytes(head + longExtension + "\r\n"), false);
            InvalidHttpMessageException trailer = failEveryWay(
                    RESPONSES, bytes(head + "0\r\nT: " + "x".repeat(HttpParser.MAX_LINE_LENGTH) + "\r\n"), false);
            InvalidHttpMessageException count = failEveryWay(RESPONSES, bytes(head + trailers + "\r\n"), false);

            assertEquals("chunk size line too long: more than 8192 bytes", size.getMessage());
            assertEquals("trailer line too long: more than 8192 bytes", trailer.getMessage());
            assertEquals("too many trailer lines: more than 128", count.getMessage());
            assertEquals(List.of(431, 431, 431), List.of(size.status(), trailer.status(), count.status()));
        }

        @Test
        void acceptsMaxTrailerLines() {
            StringBuilder input =
                    new StringBuilder(message("HTTP/1.1 400 Bad", "Transfer-Encoding: chunked") + "0\r\n");
            for (int i = 0; i < HttpParser.MAX_HEADERS; i++) {
                input.append("T").append(i).append(": v\r\n");
            }

            Response response = (Response)
                    parseEveryWay(RESPONSES, bytes(input.append("\r\n").toString()));

            assertEquals(400, response.status());
        }
    }

    @Nested
    class BodyLimit {
        private final byte[] maxBody = filled(HttpParser.MAX_BODY_SIZE);

        @Test
        void acceptsAContentLengthOfMaxBodySize() {
            byte[] input = concat(bytes(message("HTTP/1.1 400 Bad", "Content-Length: 1048576")), maxBody);

            Response response = (Response) parseSomeWays(RESPONSES, input, false);

            assertArrayEquals(maxBody, response.body());
        }

        @Test
        void rejectsALargerContentLengthBeforeReadingTheBody() {
            InvalidHttpMessageException e =
                    failEveryWay(RESPONSES, bytes(message("HTTP/1.1 400 Bad", "Content-Length: 1048577")), false);
            InvalidHttpMessageException huge = failEveryWay(
                    RESPONSES, bytes(message("HTTP/1.1 400 Bad", "Content-Length: 99999999999999999999")), false);

            assertEquals(413, e.status());
            assertEquals("response body too large: content-length 1048577, limit 1048576 bytes", e.getMessage());
            assertEquals(413, huge.status());
        }

        @Test
        void acceptsAChunkedBodyOfMaxBodySize() {
            byte[] head = bytes(message("HTTP/1.1 400 Bad", "Transfer-Encoding: chunked") + "80000\r\n");
            byte[] middle = bytes("\r\n00080000\r\n");
            byte[] half = Arrays.copyOf(maxBody, HttpParser.MAX_BODY_SIZE / 2); // 0x80000 bytes
            byte[] input = concat(concat(concat(head, half), concat(middle, half)), bytes("\r\n0\r\n\r\n"));

            Response response = (Response) parseSomeWays(RESPONSES, input, false);

            assertEquals(HttpParser.MAX_BODY_SIZE, response.body().length);
        }

        @Test
        void rejectsAChunkThatWouldExceedMaxBodySize() {
            String head = message("HTTP/1.1 400 Bad", "Transfer-Encoding: chunked");

            InvalidHttpMessageException second = failEveryWay(RESPONSES, bytes(head + "1\r\na\r\n100000\r\n"), false);
            InvalidHttpMessageException huge = failEveryWay(RESPONSES, bytes(head + "0FFFFFFFFFFFFFFFFF\r\n"), false);

            assertEquals(413, second.status());
            assertEquals(
                    "response body too large: chunk of 1048576 bytes after 1 bytes, limit 1048576 bytes",
                    second.getMessage());
            assertEquals(413, huge.status());
        }

        @Test
        void acceptsABodyOfMaxBodySizeUntilTheEndOfTheConnection() {
            byte[] input = concat(bytes(message("HTTP/1.1 400 Bad")), maxBody);

            Response response = (Response) parseSomeWays(RESPONSES, input, true);

            assertArrayEquals(maxBody, response.body());
        }

        @Test
        void rejectsALargerBodyUntilTheEndOfTheConnection() {
            byte[] input = concat(bytes(message("HTTP/1.1 400 Bad")), filled(HttpParser.MAX_BODY_SIZE + 1));

            for (Partition partition : somePartitions(input)) {
                InvalidHttpMessageException e = assertThrows(
                        InvalidHttpMessageException.class,
                        () -> feed(HttpParser.forResponses(), partition.chunks(), true),
                        partition.name());
                assertEquals(413, e.status());
                assertEquals(
                        "response body too large: more than 1048576 bytes before the end of the connection, limit 1048576 bytes",
                        e.getMessage());
            }
        }
    }

    @Nested
    class EndOfFile {
        @Test
        void beforeAnyByteFailsTheRequest() {
            InvalidHttpMessageException e =
                    assertThrows(InvalidHttpMessageException.class, () -> HttpParser.forRequests()
                            .feedEof());

            assertEquals(400, e.status());
            assertEquals("connection closed before the request", e.getMessage());
        }

        @Test
        void duringTheHeadersSaysHowMuchWasRead() {
            InvalidHttpMessageException request = failEveryWay(REQUESTS, bytes("GET / HTTP/1.1\r\nHost"), true);
            InvalidHttpMessageException response = failEveryWay(RESPONSES, bytes("HTTP/1.1 101"), true);

            assertEquals("connection closed while reading the request headers, after 20 bytes", request.getMessage());
            assertEquals("connection closed while reading the response headers, after 12 bytes", response.getMessage());
            assertEquals(400, response.status());
        }

        @Test
        void duringAContentLengthBodySaysHowMuchWasRead() {
            InvalidHttpMessageException e =
                    failEveryWay(RESPONSES, bytes(message("HTTP/1.1 400 Bad", "Content-Length: 5") + "he"), true);

            assertEquals("connection closed while reading the response body, after 2 of 5 bytes", e.getMessage());
        }

        @Test
        void duringAChunkedBodySaysHowMuchWasRead() {
            String head = message("HTTP/1.1 400 Bad", "Transfer-Encoding: chunked");

            for (String rest : List.of("3\r\nabc", "3\r\nab", "3\r\nabc\r", "3\r\nabc\r\n0\r\n", "3\r\nabc\r\n1")) {
                InvalidHttpMessageException e = failEveryWay(RESPONSES, bytes(head + rest), true);

                assertTrue(
                        e.getMessage().startsWith("connection closed while reading the chunked response body, after "),
                        e.getMessage());
            }
        }
    }

    @Nested
    class Lifecycle {
        @Test
        void returnsNullForAnEmptyBuffer() {
            assertNull(HttpParser.forRequests().feed(ByteBuffer.allocate(0)));
        }

        @Test
        void refusesInputAfterAMessage() {
            HttpParser parser = HttpParser.forResponses();
            assertNotNull(parser.feed(ByteBuffer.wrap(bytes(RFC_RESPONSE))));

            assertThrows(IllegalStateException.class, () -> parser.feed(ByteBuffer.wrap(hex(FRAME_HEX))));
            assertThrows(IllegalStateException.class, parser::feedEof);
        }

        @Test
        void refusesInputAfterAFailure() {
            HttpParser parser = HttpParser.forRequests();
            assertThrows(InvalidHttpMessageException.class, () -> parser.feed(ByteBuffer.wrap(bytes("\n"))));

            assertThrows(IllegalStateException.class, () -> parser.feed(ByteBuffer.wrap(bytes(RFC_REQUEST))));
        }

        @Test
        void refusesInputAfterEndOfFile() {
            HttpParser parser = HttpParser.forResponses();
            parser.feed(ByteBuffer.wrap(bytes(message("HTTP/1.1 400 Bad"))));
            assertNotNull(parser.feedEof());

            assertThrows(IllegalStateException.class, parser::feedEof);
        }
    }

    // ---- feeding helpers ----

    /** A way to cut an input into chunks, with a name for assertion messages. */
    private record Partition(String name, List<byte[]> chunks) {}

    /** What feeding a partition gave: the message (or null) and how many bytes were consumed. */
    private record Outcome(Event event, int consumed) {}

    /** The input whole, split in two at every position, and one byte at a time. */
    private static List<Partition> everyPartition(byte[] input) {
        List<Partition> partitions = new ArrayList<>();
        partitions.add(new Partition("whole", List.of(input)));
        for (int i = 0; i <= input.length; i++) {
            partitions.add(new Partition(
                    "split at " + i,
                    List.of(Arrays.copyOfRange(input, 0, i), Arrays.copyOfRange(input, i, input.length))));
        }
        partitions.add(new Partition("one byte at a time", chunks(input, 1)));
        return partitions;
    }

    /** For inputs of a mebibyte, where every split would take hours: a sample of the partitions. */
    private static List<Partition> somePartitions(byte[] input) {
        List<Partition> partitions = new ArrayList<>();
        partitions.add(new Partition("whole", List.of(input)));
        for (int i : new int[] {1, 100, input.length / 2, input.length - 1}) {
            partitions.add(new Partition(
                    "split at " + i,
                    List.of(Arrays.copyOfRange(input, 0, i), Arrays.copyOfRange(input, i, input.length))));
        }
        partitions.add(new Partition("chunks of 4093 bytes", chunks(input, 4093)));
        partitions.add(new Partition("one byte at a time", chunks(input, 1)));
        return partitions;
    }

    private static List<byte[]> chunks(byte[] input, int size) {
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < input.length; i += size) {
            chunks.add(Arrays.copyOfRange(input, i, Math.min(input.length, i + size)));
        }
        return chunks;
    }

    /**
     * Feeds the chunks in order until the parser returns a message, then the end of the connection if
     * {@code eof}. Checks that a parser that returns null has consumed the whole chunk.
     */
    private static Outcome feed(HttpParser parser, List<byte[]> chunks, boolean eof) {
        int consumed = 0;
        for (byte[] chunk : chunks) {
            ByteBuffer buffer = ByteBuffer.wrap(chunk);
            Event event = parser.feed(buffer);
            consumed += buffer.position();
            if (event != null) {
                return new Outcome(event, consumed);
            }
            assertFalse(buffer.hasRemaining(), "a parser that needs more bytes consumes them all");
        }
        return new Outcome(eof ? parser.feedEof() : null, consumed);
    }

    private static Event parseEveryWay(Supplier<HttpParser> parsers, byte[] input) {
        return parseEveryWay(parsers, input, input.length, false);
    }

    /** Parses every partition of {@code input}; each gives the same message after {@code consumed} bytes. */
    private static Event parseEveryWay(Supplier<HttpParser> parsers, byte[] input, int consumed, boolean eof) {
        return parse(parsers, everyPartition(input), consumed, eof);
    }

    /** The message of every partition of {@code input}, for checks of identity, which equality can't make. */
    private static List<Event> parsedEveryWay(Supplier<HttpParser> parsers, byte[] input) {
        List<Event> events = new ArrayList<>();
        for (Partition partition : everyPartition(input)) {
            Outcome outcome = feed(parsers.get(), partition.chunks(), false);
            assertNotNull(outcome.event(), partition.name());
            assertEquals(input.length, outcome.consumed(), partition.name());
            events.add(outcome.event());
        }
        return events;
    }

    private static Event parseSomeWays(Supplier<HttpParser> parsers, byte[] input, boolean eof) {
        return parse(parsers, somePartitions(input), input.length, eof);
    }

    private static Event parse(Supplier<HttpParser> parsers, List<Partition> partitions, int consumed, boolean eof) {
        Event first = null;
        for (Partition partition : partitions) {
            Outcome outcome = feed(parsers.get(), partition.chunks(), eof);
            assertNotNull(outcome.event(), partition.name());
            assertEquals(consumed, outcome.consumed(), partition.name());
            if (first == null) {
                first = outcome.event();
            } else {
                assertEquals(first, outcome.event(), partition.name());
            }
        }
        return first;
    }

    /** Feeds every partition of {@code input}; each fails with the same status and message. */
    private static InvalidHttpMessageException failEveryWay(Supplier<HttpParser> parsers, byte[] input, boolean eof) {
        InvalidHttpMessageException first = null;
        for (Partition partition : everyPartition(input)) {
            InvalidHttpMessageException e = assertThrows(
                    InvalidHttpMessageException.class,
                    () -> feed(parsers.get(), partition.chunks(), eof),
                    partition.name());
            if (first == null) {
                first = e;
            } else {
                assertEquals(first.status(), e.status(), partition.name());
                assertEquals(first.getMessage(), e.getMessage(), partition.name());
            }
        }
        return first;
    }

    // ---- input helpers ----

    /** A start line and header lines, each ended by CRLF, then the empty line. */
    private static String message(String... lines) {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }

    private static String messageWithHeaders(String startLine, int count) {
        List<String> lines = new ArrayList<>();
        lines.add(startLine);
        for (int i = 0; i < count; i++) {
            lines.add("X-" + i + ": " + i);
        }
        return message(lines.toArray(new String[0]));
    }

    /** Characters as bytes, one for one (ISO-8859-1), as on the wire. */
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31);
        }
        return bytes;
    }
}
