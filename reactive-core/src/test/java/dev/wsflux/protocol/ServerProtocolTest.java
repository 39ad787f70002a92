package dev.wsflux.protocol;

import static dev.wsflux.protocol.testing.OpenProtocols.ACCEPT;
import static dev.wsflux.protocol.testing.OpenProtocols.ascii;
import static dev.wsflux.protocol.testing.OpenProtocols.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.codec.FrameSerializer;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.NegotiationException;
import dev.wsflux.protocol.extensions.ServerExtensionFactory;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.InvalidStateException;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.http11.ExtensionOffer;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHttpMessageException;
import dev.wsflux.protocol.http11.InvalidOriginException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import dev.wsflux.protocol.testing.OpenProtocols;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server's opening handshake (RFC 6455 §4.2). */
class ServerProtocolTest {

    private static ServerProtocol server(UnaryOperator<ServerProtocol.Builder> customize) {
        return customize.apply(ServerProtocol.builder()).build();
    }

    /** Feeds {@code requestText} and returns the response {@link ServerProtocol#accept} builds. */
    private static Response accept(ServerProtocol server, String requestText) {
        server.receiveData(ascii(requestText));
        List<Event> events = server.eventsReceived();
        return server.accept((Request) events.get(0));
    }

    private static Response accept(UnaryOperator<ServerProtocol.Builder> customize, String... lines) {
        return accept(server(customize), request(lines));
    }

    /** A request with the given header lines replacing the defaults. */
    private static String requestWith(String firstLine, String... headerLines) {
        StringBuilder text = new StringBuilder(firstLine).append("\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        return text.append("\r\n").toString();
    }

    private static final String[] VALID = {
        "Host: example.com",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: " + OpenProtocols.KEY,
        "Sec-WebSocket-Version: 13"
    };

    private static String[] without(String prefix, String... replacement) {
        List<String> lines = new ArrayList<>();
        for (String line : VALID) {
            if (!line.startsWith(prefix)) {
                lines.add(line);
            }
        }
        lines.addAll(Arrays.asList(replacement));
        return lines.toArray(String[]::new);
    }

    /**
     * Feeds {@code input} in the chunks of {@code splits} through one reused array, like a transport's
     * read buffer, and scribbles over the whole array after each {@code receiveData} returns: a protocol
     * that kept a reference to its input would then see 0xAA bytes.
     */
    static void feedThroughAScribbledArray(Protocol protocol, byte[] input, List<Integer> splits) {
        byte[] scratch = new byte[input.length];
        int from = 0;
        List<Integer> ends = new ArrayList<>(splits);
        ends.add(input.length);
        for (int end : ends) {
            System.arraycopy(input, from, scratch, 0, end - from);
            protocol.receiveData(ByteBuffer.wrap(scratch, 0, end - from));
            Arrays.fill(scratch, (byte) 0xAA);
            from = end;
        }
    }

    /** The input whole, split in two at every position, and one byte at a time. */
    static List<List<Integer>> everySplit(int length) {
        List<List<Integer>> splits = new ArrayList<>();
        splits.add(List.of());
        for (int i = 1; i < length; i++) {
            splits.add(List.of(i));
        }
        List<Integer> bytes = new ArrayList<>();
        for (int i = 1; i < length; i++) {
            bytes.add(i);
        }
        splits.add(bytes);
        return splits;
    }

    /** Masked (client-to-server) frames: text "Hello", 300 bytes of binary, "Hel" + "lo" in fragments. */
    private static final List<Frame> CLIENT_FRAMES = List.of(
            Frame.text("Hello"),
            Frame.binary(pattern(300)),
            new Frame(Opcode.TEXT, ascii("Hel"), false),
            new Frame(Opcode.CONTINUATION, ascii("lo"), true));

    static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }

    static byte[] serialize(boolean mask, List<Frame> frames) {
        FrameSerializer serializer = new FrameSerializer(mask, MaskKeySource.fixed(OpenProtocols.MASK));
        List<ByteBuffer> buffers = new ArrayList<>();
        for (Frame frame : frames) {
            buffers.add(serializer.serialize(frame));
        }
        return OpenProtocols.concat(buffers);
    }

    static List<Frame> frames(List<Event> events) {
        List<Frame> frames = new ArrayList<>();
        for (Event event : events) {
            frames.add((Frame) event);
        }
        return frames;
    }

    @Nested
    class InputBuffers {
        @Test
        void theRequestAndEarlyFramesSurviveTheInputBeingOverwrittenAfterEachCall() {
            byte[] head = request().getBytes(StandardCharsets.ISO_8859_1);
            byte[] frames = serialize(true, CLIENT_FRAMES);
            byte[] input = new byte[head.length + frames.length];
            System.arraycopy(head, 0, input, 0, head.length);
            System.arraycopy(frames, 0, input, head.length, frames.length);
            for (List<Integer> splits : everySplit(input.length)) {
                ServerProtocol server = server(builder -> builder);

                feedThroughAScribbledArray(server, input, splits);

                List<Event> events = server.eventsReceived();
                assertEquals(1, events.size(), splits.toString());
                Request request = (Request) events.get(0);
                assertEquals("/chat", request.path());
                assertEquals(OpenProtocols.KEY, request.headers().get("Sec-WebSocket-Key"));
                server.sendResponse(server.accept(request));
                assertEquals(CLIENT_FRAMES, frames(server.eventsReceived()), splits.toString());
            }
        }

        @Test
        void framesSurviveTheInputBeingOverwrittenAfterEachCall() {
            byte[] input = serialize(true, CLIENT_FRAMES);
            for (List<Integer> splits : everySplit(input.length)) {
                ServerProtocol server = OpenProtocols.server();

                feedThroughAScribbledArray(server, input, splits);

                assertEquals(CLIENT_FRAMES, frames(server.eventsReceived()), splits.toString());
            }
        }
    }

    @Nested
    class Accepting {
        @Test
        void theRfcExampleIsAccepted() {
            ServerProtocol server = server(builder -> builder.serverHeader(null));
            Response response = accept(server, request());
            assertEquals(101, response.status());
            assertEquals("Switching Protocols", response.reason());
            assertEquals(ACCEPT, response.headers().get("Sec-WebSocket-Accept"));
            assertEquals("websocket", response.headers().get("Upgrade"));
            assertEquals("Upgrade", response.headers().get("Connection"));
            assertNull(response.headers().get("Server"));
            server.sendResponse(response);
            assertEquals(ProtocolState.OPEN, server.state());
            String bytes = new String(OpenProtocols.concat(server.dataToSend()), StandardCharsets.ISO_8859_1);
            assertTrue(bytes.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), bytes);
        }

        @Test
        void theRequestParsesWhateverTheChunking() {
            byte[] bytes = request().getBytes(StandardCharsets.ISO_8859_1);
            for (int split = 1; split < bytes.length; split++) {
                ServerProtocol server = server(builder -> builder);
                server.receiveData(ByteBuffer.wrap(bytes, 0, split));
                server.receiveData(ByteBuffer.wrap(bytes, split, bytes.length - split));
                assertEquals(1, server.eventsReceived().size());
            }
        }

        @Test
        void framesSentBeforeTheResponseAreParsedOnceOpen() {
            ServerProtocol server = server(builder -> builder);
            byte[] head = request().getBytes(StandardCharsets.ISO_8859_1);
            byte[] frame = {(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, 'h', 'i'};
            server.receiveData(ByteBuffer.allocate(head.length + 4)
                    .put(head)
                    .put(frame, 0, 4)
                    .flip());
            server.receiveData(ByteBuffer.wrap(frame, 4, 4));
            Request request = (Request) server.eventsReceived().get(0);
            server.sendResponse(server.accept(request));
            assertEquals("hi", ((Frame) server.eventsReceived().get(0)).payloadText());
        }

        @Test
        void theServerHeaderDefaultsToWsflux() {
            assertTrue(accept(builder -> builder).headers().get("Server").startsWith("wsflux"));
        }
    }

    @Nested
    class Rejecting {
        @Test
        void aPostIsAnswered405WithAllow() {
            Response response = accept(server(builder -> builder), requestWith("POST /chat HTTP/1.1", VALID));
            assertEquals(405, response.status());
            assertEquals("GET", response.headers().get("Allow"));
        }

        @Test
        void aPlainHttpRequestIsAnswered426() {
            Response response = accept(server(builder -> builder), requestWith("GET / HTTP/1.1", "Host: example.com"));
            assertEquals(426, response.status());
            assertEquals("websocket", response.headers().get("Upgrade"));
            assertEquals("close", response.headers().get("Connection"));
            assertTrue(new String(response.body(), StandardCharsets.UTF_8).startsWith("Failed to open a WebSocket"));
        }

        @Test
        void aMissingConnectionUpgradeIsAnswered426() {
            Response response = accept(
                    server(builder -> builder),
                    requestWith("GET / HTTP/1.1", without("Connection", "Connection: keep-alive")));
            assertEquals(426, response.status());
        }

        @Test
        void anotherVersionIsAnswered426WithTheSupportedVersion() {
            Response response = accept(
                    server(builder -> builder),
                    requestWith("GET / HTTP/1.1", without("Sec-WebSocket-Version", "Sec-WebSocket-Version: 8")));
            assertEquals(426, response.status());
            assertEquals("13", response.headers().get("Sec-WebSocket-Version"));
        }

        @Test
        void aBadKeyIsAnswered400() {
            Response response = accept(
                    server(builder -> builder),
                    requestWith("GET / HTTP/1.1", without("Sec-WebSocket-Key", "Sec-WebSocket-Key: short")));
            assertEquals(400, response.status());
        }

        @Test
        void aHandMadeRequestWithoutHostIsAnswered400() {
            ServerProtocol server = server(builder -> builder);
            Response response = server.accept(new Request("/", Headers.of("Upgrade", "websocket")));
            assertEquals(400, response.status());
        }

        @Test
        void aMalformedRequestIsAnswered400AtOnce() {
            ServerProtocol server = server(builder -> builder);
            server.receiveData(ascii("GARBAGE\r\n\r\n"));
            assertEquals(List.of(), server.eventsReceived());
            assertInstanceOf(InvalidHttpMessageException.class, server.handshakeException());
            List<ByteBuffer> output = server.dataToSend();
            String response = new String(OpenProtocols.concat(output), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 400 "), response);
            assertSame(Protocol.EOF, output.get(output.size() - 1));
            assertEquals(ProtocolState.CLOSED, server.state());
        }

        @Test
        void http10IsAnswered505() {
            ServerProtocol server = server(builder -> builder);
            server.receiveData(ascii(requestWith("GET / HTTP/1.0", VALID)));
            String response = new String(OpenProtocols.concat(server.dataToSend()), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 505 "), response);
        }

        @Test
        void tooManyHeadersAreAnswered431() {
            String[] lines = new String[200];
            for (int i = 0; i < lines.length; i++) {
                lines[i] = "X-" + i + ": y";
            }
            ServerProtocol server = server(builder -> builder);
            server.receiveData(ascii(requestWith("GET / HTTP/1.1", lines)));
            String response = new String(OpenProtocols.concat(server.dataToSend()), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 431 "), response);
        }

        @Test
        void eofDuringTheHandshakeIsAFailure() {
            ServerProtocol server = server(builder -> builder);
            server.receiveData(ascii("GET / HTTP/1.1\r\n"));
            server.receiveEof();
            assertInstanceOf(InvalidHttpMessageException.class, server.handshakeException());
            assertEquals(ProtocolState.CLOSED, server.state());
        }

        @Test
        void aCustomRejectionClosesTheConnection() {
            ServerProtocol server = server(builder -> builder);
            server.receiveData(ascii(request()));
            server.eventsReceived();
            Response response = server.reject(401, "who are you?");
            assertEquals("13", response.headers().get("Content-Length"));
            server.sendResponse(response);
            assertEquals(ProtocolState.CLOSED, server.state());
            assertInstanceOf(InvalidStatusException.class, server.handshakeException());
            List<ByteBuffer> output = server.dataToSend();
            assertSame(Protocol.EOF, output.get(output.size() - 1));
            assertThrows(InvalidStateException.class, () -> server.sendResponse(response));
        }
    }

    /** A request with {@code target} and the {@link #VALID} header lines, {@code Host} replaced by {@code hostLines}. */
    private static String requestFor(String method, String target, String... hostLines) {
        return requestWith(method + " " + target + " HTTP/1.1", without("Host", hostLines));
    }

    /** Feeds {@code requestText} whole and returns the bytes the server sent. */
    private static String answer(ServerProtocol server, String requestText) {
        server.receiveData(ascii(requestText));
        List<Event> events = server.eventsReceived();
        if (!events.isEmpty()) {
            server.sendResponse(server.accept((Request) events.get(0)));
        }
        return new String(OpenProtocols.concat(server.dataToSend()), StandardCharsets.ISO_8859_1);
    }

    /**
     * RFC 7230 §5.3 (request-target), §5.4 (Host) and §3.3.2 (Content-Length): what the server refuses with
     * 400 as soon as the request is read, before any hook or route, and the neighbours it accepts.
     */
    @Nested
    class RequestTargetAndHost {
        static Stream<Arguments> refused() {
            return Stream.of(
                    // the cases of issue 16
                    Arguments.of("/chat", List.of("Host: 127.\"0.0.1"), "invalid Host header: \"127.\\x220.0.1\""),
                    Arguments.of("/chat", List.of("Host: 127.0. .1"), "invalid Host header: \"127.0. .1\""),
                    Arguments.of("*", List.of("Host: 127.0.0.1"), "asterisk-form request target is only for OPTIONS"),
                    Arguments.of(
                            "127.0.0.1:8080",
                            List.of("Host: 127.0.0.1:8080"),
                            "authority-form request target is only for CONNECT: \"127.0.0.1:8080\""),
                    Arguments.of(
                            "http://[::1", List.of("Host: [::1]"), "invalid host in request target: \"http://[::1\""),
                    Arguments.of(
                            "/%zz", List.of("Host: 127.0.0.1"), "invalid percent-encoding in request target: \"/%zz\""),
                    Arguments.of(
                            "/chat",
                            List.of("Host: 127.0.0.1", "Content-Length: 00"),
                            "ambiguous content-length in handshake request: \"00\""),
                    // Host: RFC 3986 §3.2.2 host, §3.2.3 port, one header
                    Arguments.of("/chat", List.of(), "missing Host header"),
                    Arguments.of("/chat", List.of("Host: a.example", "Host: b.example"), "more than one Host header"),
                    Arguments.of("/chat", List.of("Host:"), "invalid Host header: \"\""),
                    Arguments.of("/chat", List.of("Host: :8080"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: example.com:99999"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: example.com:8o"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: example.com:80:80"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: ::1"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: [::1"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: [::1]x"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: [1:2:3:4:5:6:7:8:9]"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: [fe80::1%25eth0]"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: [v1.]"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: [v.1]"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: [vg.1]"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: [v1.a/b]"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: example.com:123456"), "invalid Host header"),
                    Arguments.of("h~ttp://example.com/chat", List.of("Host: example.com"), "invalid request target"),
                    Arguments.of("ws:example.com/chat", List.of("Host: example.com"), "invalid request target"),
                    Arguments.of(
                            "ws+x.y-z://example.com/",
                            List.of("Host: example.com"),
                            "unsupported scheme in request target"),
                    Arguments.of("/chat", List.of("Host: user@example.com"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: example.com/chat"), "invalid Host header"),
                    Arguments.of("/chat", List.of("Host: ex%zzample.com"), "invalid Host header"),
                    // request-target: forms, percent-encoding, fragment, user info, scheme, authority
                    Arguments.of("chat", List.of("Host: example.com"), "invalid request target: \"chat\""),
                    Arguments.of("http:/chat", List.of("Host: example.com"), "invalid request target"),
                    Arguments.of("/chat%2", List.of("Host: example.com"), "invalid percent-encoding in request target"),
                    Arguments.of("/chat?q=%G0", List.of("Host: example.com"), "invalid percent-encoding"),
                    Arguments.of(
                            "/chat#top", List.of("Host: example.com"), "fragment in request target: \"/chat#top\""),
                    Arguments.of(
                            "http://example.com/chat#top", List.of("Host: example.com"), "fragment in request target"),
                    Arguments.of(
                            "http://ann:secret@example.com/chat",
                            List.of("Host: example.com"),
                            "user info in request target: \"http://...@example.com/chat\""),
                    Arguments.of(
                            "ftp://example.com/chat",
                            List.of("Host: example.com"),
                            "unsupported scheme in request target"),
                    Arguments.of("http:///chat", List.of("Host: example.com"), "invalid host in request target"),
                    Arguments.of(
                            "http://other.example/chat",
                            List.of("Host: example.com"),
                            "request target \"http://other.example/chat\" does not match Host \"example.com\""),
                    Arguments.of(
                            "http://example.com:8080/chat",
                            List.of("Host: example.com"),
                            "request target \"http://example.com:8080/chat\" does not match Host"),
                    Arguments.of(
                            "wss://example.com/chat",
                            List.of("Host: example.com:80"),
                            "request target \"wss://example.com/chat\" does not match Host \"example.com:80\""),
                    // Content-Length: a single "0" only
                    Arguments.of(
                            "/chat",
                            List.of("Host: example.com", "Content-Length: 0, 0"),
                            "ambiguous content-length in handshake request: \"0, 0\""),
                    Arguments.of(
                            "/chat",
                            List.of("Host: example.com", "Content-Length: 0", "Content-Length: 0"),
                            "ambiguous content-length in handshake request: \"0, 0\""));
        }

        @ParameterizedTest(name = "GET {0} with {1}")
        @MethodSource
        void refused(String target, List<String> lines, String reason) {
            ServerProtocol server = server(builder -> builder);

            String response = answer(server, requestFor("GET", target, lines.toArray(String[]::new)));

            assertTrue(response.startsWith("HTTP/1.1 400 Bad Request\r\n"), response);
            assertTrue(response.contains("Failed to open a WebSocket connection: " + reason), response);
            InvalidHttpMessageException e =
                    assertInstanceOf(InvalidHttpMessageException.class, server.handshakeException());
            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith(reason), e.getMessage());
            assertEquals(ProtocolState.CLOSED, server.state());
        }

        static Stream<Arguments> accepted() {
            return Stream.of(
                    Arguments.of("/chat?room=1&q={a}|^`", List.of("Host: example.com")),
                    Arguments.of("/caf%C3%A9", List.of("Host: example.com")),
                    Arguments.of("/", List.of("Host: example.com:")),
                    Arguments.of("/", List.of("Host: EXAMPLE.com:8080")),
                    Arguments.of("/", List.of("Host: 127.0.0.1:8080")),
                    Arguments.of("/", List.of("Host: 999.1.1.1")), // a reg-name, not an IPv4address
                    Arguments.of("/", List.of("Host: under_score.example")),
                    Arguments.of("/", List.of("Host: ex%41mple.com")),
                    Arguments.of("/", List.of("Host: [::1]:8080")),
                    Arguments.of("/", List.of("Host: [::ffff:127.0.0.1]")),
                    Arguments.of("/", List.of("Host: [v1.fe80::a+b]")),
                    Arguments.of("/", List.of("Host: [VA.x]")),
                    // RFC 3986 §3.2.3: port = *DIGIT, so an empty port is valid.
                    Arguments.of("/", List.of("Host: example.com:")),
                    Arguments.of("/", List.of("Host: example.com", "Content-Length: 0")),
                    Arguments.of("http://example.com/chat", List.of("Host: example.com")),
                    Arguments.of("HTTP://Example.COM:80/chat?x", List.of("Host: example.com")),
                    Arguments.of("https://example.com", List.of("Host: example.com:443")),
                    Arguments.of("ws://[::1]:8080/chat", List.of("Host: [::1]:8080")),
                    Arguments.of("wss://example.com:443?x=1", List.of("Host: example.com")));
        }

        @ParameterizedTest(name = "GET {0} with {1}")
        @MethodSource
        void accepted(String target, List<String> lines) {
            ServerProtocol server = server(builder -> builder);

            String response = answer(server, requestFor("GET", target, lines.toArray(String[]::new)));

            assertTrue(response.startsWith("HTTP/1.1 101 "), response);
            assertEquals(ProtocolState.OPEN, server.state());
        }

        @Test
        void theAsteriskAndAuthorityFormsGoWithTheirMethodsAndAreThenAnswered405() {
            assertTrue(answer(server(builder -> builder), requestFor("OPTIONS", "*", "Host: example.com"))
                    .startsWith("HTTP/1.1 405 "));
            assertTrue(answer(
                            server(builder -> builder),
                            requestFor("CONNECT", "example.com:443", "Host: example.com:443"))
                    .startsWith("HTTP/1.1 405 "));
        }

        @Test
        void aBadRequestIsAnsweredBeforeTheRequestIsHandedOver() {
            ServerProtocol server = server(builder -> builder);
            server.receiveData(ascii(requestFor("GET", "/%zz", "Host: example.com")));
            assertEquals(List.of(), server.eventsReceived());
            List<ByteBuffer> output = server.dataToSend();
            assertSame(Protocol.EOF, output.get(output.size() - 1));
        }
    }

    @Nested
    class Origins {
        @Test
        void anAllowedOriginIsAccepted() {
            assertEquals(
                    101,
                    accept(builder -> builder.origins(List.of("https://a.example")), "Origin: https://a.example")
                            .status());
        }

        @Test
        void anotherOriginIsAnswered403() {
            ServerProtocol server = server(builder -> builder.origins(List.of("https://a.example")));
            Response response = accept(server, request("Origin: https://evil.example"));
            assertEquals(403, response.status());
            assertInstanceOf(InvalidOriginException.class, server.handshakeException());
        }

        @Test
        void noOriginIsRefusedUnlessAllowed() {
            assertEquals(
                    403,
                    accept(builder -> builder.origins(List.of("https://a.example")))
                            .status());
            List<String> withNone = new ArrayList<>();
            withNone.add(null);
            assertEquals(101, accept(builder -> builder.origins(withNone)).status());
        }

        @Test
        void patternsMatchWholeOrigins() {
            UnaryOperator<ServerProtocol.Builder> patterns =
                    builder -> builder.originPatterns(List.of(Pattern.compile("https://[a-z]+\\.example\\.com")));
            assertEquals(
                    101, accept(patterns, "Origin: https://app.example.com").status());
            assertEquals(
                    403,
                    accept(patterns, "Origin: https://app.example.com.evil").status());
        }

        @Test
        void twoOriginHeadersAreRefused() {
            assertEquals(
                    400,
                    accept(builder -> builder.origins(List.of("a")), "Origin: a", "Origin: a")
                            .status());
        }
    }

    @Nested
    class Subprotocols {
        @Test
        void theServersPreferenceWins() {
            ServerProtocol server = server(builder -> builder.subprotocols(List.of("superchat", "chat")));
            Response response = accept(server, request("Sec-WebSocket-Protocol: chat, superchat"));
            assertEquals("superchat", response.headers().get("Sec-WebSocket-Protocol"));
            server.sendResponse(response);
            assertEquals("superchat", server.subprotocol());
        }

        @Test
        void noOfferIsAnswered400WhenTheServerHasSubprotocols() {
            assertEquals(
                    400,
                    accept(builder -> builder.subprotocols(List.of("chat"))).status());
        }

        @Test
        void noCommonSubprotocolIsAnswered400() {
            assertEquals(
                    400,
                    accept(builder -> builder.subprotocols(List.of("chat")), "Sec-WebSocket-Protocol: mqtt")
                            .status());
        }

        @Test
        void withoutSubprotocolsOffersAreIgnored() {
            assertNull(accept(builder -> builder, "Sec-WebSocket-Protocol: chat")
                    .headers()
                    .get("Sec-WebSocket-Protocol"));
        }

        @Test
        void aCustomSelectorDecides() {
            SubprotocolSelector last = (request, offered) -> offered.isEmpty() ? null : offered.get(offered.size() - 1);
            Response response = accept(builder -> builder.subprotocolSelector(last), "Sec-WebSocket-Protocol: a, b");
            assertEquals("b", response.headers().get("Sec-WebSocket-Protocol"));
        }

        @Test
        void aSelectorChoosingSomethingNotOfferedIsRefused() {
            assertEquals(
                    400,
                    accept(builder -> builder.subprotocolSelector((request, offered) -> "zzz"))
                            .status());
        }
    }

    @Nested
    class Extensions {
        private final List<String> closed = new ArrayList<>();

        private ServerExtensionFactory factory(String acceptParameter) {
            return new ServerExtensionFactory() {
                @Override
                public String name() {
                    return "x-test";
                }

                @Override
                public Accepted accept(ExtensionOffer offer, List<Extension> accepted) {
                    if (offer.parameters().stream().anyMatch(p -> p.name().equals("bad"))) {
                        throw new NegotiationException("invalid parameter: bad");
                    }
                    if (offer.parameters().stream().noneMatch(p -> p.name().equals(acceptParameter))) {
                        return null;
                    }
                    return new Accepted(offer, new ClientProtocolTest.NoopExtension() {
                        @Override
                        public void close() {
                            closed.add(offer.toString());
                        }
                    });
                }
            };
        }

        @Test
        void theFirstAcceptableOfferWins() {
            ServerProtocol server = server(builder -> builder.extensions(List.of(factory("b"))));
            Response response = accept(server, request("Sec-WebSocket-Extensions: x-test; a, x-test; b, x-test; b; c"));
            assertEquals("x-test; b", response.headers().get("Sec-WebSocket-Extensions"));
            server.sendResponse(response);
            assertEquals(1, server.extensions().size());
        }

        @Test
        void the101HasEveryNegotiatedHeaderInOrderAndSharesItsConstantStrings() {
            ServerProtocol server = server(builder -> builder.extensions(List.of(factory("b")))
                    .subprotocols(List.of("chat"))
                    .serverHeader("test/1"));

            Response response =
                    accept(server, request("Sec-WebSocket-Extensions: x-test; b", "Sec-WebSocket-Protocol: chat"));

            assertEquals(
                    Headers.of(
                            "Upgrade", "websocket",
                            "Connection", "Upgrade",
                            "Sec-WebSocket-Accept", ACCEPT,
                            "Sec-WebSocket-Extensions", "x-test; b",
                            "Sec-WebSocket-Protocol", "chat",
                            "Server", "test/1"),
                    response.headers());
            List<Map.Entry<String, String>> entries = response.headers().entries();
            assertSame("Upgrade", entries.get(0).getKey());
            assertSame("websocket", entries.get(0).getValue());
            assertSame("Connection", entries.get(1).getKey());
            assertSame("Upgrade", entries.get(1).getValue());
            assertSame("Switching Protocols", response.reason());
            assertEquals(0, response.body().length);
        }

        @Test
        void unknownExtensionsAreIgnored() {
            assertNull(accept(builder -> builder.extensions(List.of(factory("b"))), "Sec-WebSocket-Extensions: x-other")
                    .headers()
                    .get("Sec-WebSocket-Extensions"));
        }

        @Test
        void anInvalidOfferIsDeclinedAndTheNextOneTried() {
            // RFC 7692 §7: "A server MUST decline an extension negotiation offer" with invalid parameters.
            ServerProtocol server = server(builder -> builder.extensions(List.of(factory("b"))));
            Response response = accept(server, request("Sec-WebSocket-Extensions: x-test; bad, x-test; b"));
            assertEquals(101, response.status());
            assertEquals("x-test; b", response.headers().get("Sec-WebSocket-Extensions"));
            assertEquals(List.of("x-test; bad: invalid parameter: bad"), server.declinedOffers());
        }

        @Test
        void onlyInvalidOffersMeanNoExtension() {
            Response response = accept(
                    builder -> builder.extensions(List.of(factory("b"))), "Sec-WebSocket-Extensions: x-test; bad");
            assertEquals(101, response.status());
            assertNull(response.headers().get("Sec-WebSocket-Extensions"));
        }

        @Test
        void aMalformedHeaderIsAnswered400() {
            assertEquals(
                    400,
                    accept(builder -> builder.extensions(List.of(factory("b"))), "Sec-WebSocket-Extensions: ;;")
                            .status());
        }

        @Test
        void negotiatedExtensionsAreClosedWhenTheHandshakeIsRejected() {
            ServerProtocol server = server(builder -> builder.extensions(List.of(factory("b"))));
            accept(server, request("Sec-WebSocket-Extensions: x-test; b"));
            server.sendResponse(server.reject(503, "busy"));
            assertEquals(List.of("x-test; b"), closed);
        }
    }
}
