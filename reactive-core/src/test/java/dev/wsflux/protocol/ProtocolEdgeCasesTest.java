package dev.wsflux.protocol;

import static dev.wsflux.protocol.testing.OpenProtocols.MASK;
import static dev.wsflux.protocol.testing.OpenProtocols.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.codec.FrameSerializer;
import dev.wsflux.protocol.extensions.ClientExtensionFactory;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.ConnectionClosedOkException;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.InvalidStateException;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.http11.ExtensionOffer;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHeaderException;
import dev.wsflux.protocol.http11.InvalidHttpMessageException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import dev.wsflux.protocol.http11.WebSocketKey;
import dev.wsflux.protocol.http11.WebSocketUri;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Outcome;
import dev.wsflux.protocol.testing.Splits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The corners of {@link Protocol}, {@link ClientProtocol} and {@link ServerProtocol} that the main tests
 * leave out: limits, the order of closing steps, failing in every state, extensions that transform or
 * misbehave, and handshake requests and responses that are almost right. Byte inputs are fed in every
 * chunking ({@link Splits}): whole, split at each position, and one byte at a time.
 */
class ProtocolEdgeCasesTest {

    // ------------------------------------------------------------------ helpers

    private static final WebSocketUri URI = WebSocketUri.parse("ws://server.example.com/chat");

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    private static String hex(List<ByteBuffer> buffers) {
        return HexFormat.of().formatHex(OpenProtocols.concat(buffers));
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Frames as a client sends them: masked with the RFC 6455 §5.7 example key. */
    private static byte[] fromClient(Frame... frames) {
        FrameSerializer serializer = new FrameSerializer(true, MaskKeySource.fixed(MASK));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            ByteBuffer bytes = serializer.serialize(frame);
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        }
        return out.toByteArray();
    }

    private static Frame close(int code, String reason) {
        return new Frame(Opcode.CLOSE, new CloseStatus(code, reason).toPayload(), true);
    }

    /**
     * Feeds {@code input} to a fresh protocol in every chunking, asserts that the outcome does not depend on
     * the chunking, runs {@code check} on each protocol afterwards and returns the outcome.
     */
    private static <P extends Protocol> Outcome feed(Supplier<P> factory, byte[] input, Consumer<P> check) {
        Outcome first = null;
        for (Splits.Chunking chunking : Splits.of(input)) {
            P protocol = factory.get();
            List<Event> events = new ArrayList<>();
            List<ByteBuffer> output = new ArrayList<>();
            for (ByteBuffer chunk : chunking.chunks()) {
                protocol.receiveData(chunk);
                assertFalse(chunk.hasRemaining(), "receiveData consumes everything");
                events.addAll(protocol.eventsReceived());
                output.addAll(protocol.dataToSend());
            }
            Outcome outcome = Outcome.of(protocol, events, output);
            if (first == null) {
                first = outcome;
            } else {
                assertEquals(first, outcome, chunking.name());
            }
            check.accept(protocol);
        }
        return first;
    }

    private static <P extends Protocol> Outcome feed(Supplier<P> factory, byte[] input) {
        return feed(factory, input, protocol -> {});
    }

    /** What the protocol produced since the output and events were last taken. */
    private static Outcome drain(Protocol protocol) {
        return Outcome.of(protocol, protocol.eventsReceived(), protocol.dataToSend());
    }

    private static int failureCode(Protocol protocol) {
        return ((WebSocketProtocolException) protocol.failureCause()).closeCode();
    }

    private static long eofCount(List<ByteBuffer> output) {
        return output.stream().filter(buffer -> buffer == Protocol.EOF).count();
    }

    /**
     * A stand-in for a compressing extension on RSV1: it decodes data payloads with {@code decoder} (as
     * permessage-deflate inflates them) and records each frame it decodes with the size budget it was given.
     */
    private static final class TransformingExtension implements Extension {
        private final UnaryOperator<byte[]> decoder;
        final List<String> decoded = new ArrayList<>();

        TransformingExtension(UnaryOperator<byte[]> decoder) {
            this.decoder = decoder;
        }

        @Override
        public String name() {
            return "x-transform";
        }

        @Override
        public int rsvBits() {
            return 0b100;
        }

        @Override
        public Frame decode(Frame frame, long maxMessageSize) {
            decoded.add(frame.opcode() + " " + maxMessageSize);
            if (frame.opcode().isControl()) {
                return frame;
            }
            return new Frame(frame.opcode(), ByteBuffer.wrap(decoder.apply(frame.payloadBytes())), frame.fin());
        }

        @Override
        public Frame encode(Frame frame, boolean compress) {
            return frame;
        }

        @Override
        public void close() {}
    }

    /** An open client that negotiated {@code extension}, with the defaults changed by {@code customize}. */
    private static ClientProtocol clientWith(Extension extension, UnaryOperator<ClientProtocol.Builder> customize) {
        ClientExtensionFactory factory = new ClientExtensionFactory() {
            @Override
            public String name() {
                return extension.name();
            }

            @Override
            public List<ExtensionOffer> offers() {
                return List.of(ExtensionOffer.of(extension.name()));
            }

            @Override
            public Extension accept(ExtensionOffer response, List<Extension> accepted) {
                return extension;
            }
        };
        return OpenProtocols.client(
                builder -> customize.apply(builder.extensions(List.of(factory))),
                "Sec-WebSocket-Extensions: " + extension.name());
    }

    private static TransformingExtension recordedBy(Protocol protocol) {
        return (TransformingExtension) protocol.extensions().get(0);
    }

    // ------------------------------------------------------------------ tests

    /** RFC 6455 §10.4: "implementations SHOULD impose implementation-specific limits on frame sizes". */
    @Nested
    class Limits {
        @Test
        void negativeSizesAreRejectedWhenBuilding() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ServerProtocol.builder().maxSize(-1).build());
            assertEquals("sizes must be >= 0: maxSize=-1, maxFrameSize=0", e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> ClientProtocol.builder(URI).maxFrameSize(-2).build());
            assertEquals("sizes must be >= 0: maxSize=1048576, maxFrameSize=-2", e.getMessage());
        }

        private ServerProtocol server() {
            return OpenProtocols.server(builder -> builder.maxSize(6).maxFrameSize(4));
        }

        @Test
        void framesWithinTheFrameLimitMakeAMessageWithinTheMessageLimit() {
            byte[] input = fromClient(
                    new Frame(Opcode.BINARY, ByteBuffer.wrap(new byte[] {1, 2, 3}), false),
                    new Frame(Opcode.CONTINUATION, ByteBuffer.wrap(new byte[] {4, 5, 6}), true));
            Outcome outcome = feed(this::server, input);
            assertEquals(List.of("BINARY 010203", "CONTINUATION fin 040506"), outcome.events());
            assertEquals(0, outcome.failureCode());
        }

        @Test
        void aFrameOverTheFrameLimitFailsEvenWithinTheMessageLimit() {
            byte[] input = fromClient(Frame.binary(new byte[] {1, 2, 3, 4, 5}));
            Outcome outcome = feed(this::server, input);
            assertEquals(List.of(), outcome.events());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.failureCode());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.sentCloseCode());
        }

        @Test
        void framesWithinTheFrameLimitStillCountTowardsTheMessageLimit() {
            byte[] input = fromClient(
                    new Frame(Opcode.BINARY, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), false),
                    new Frame(Opcode.CONTINUATION, ByteBuffer.wrap(new byte[] {5, 6, 7}), true));
            Outcome outcome = feed(this::server, input);
            assertEquals(List.of("BINARY 01020304"), outcome.events());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.failureCode());
        }

        @Test
        void theClientAppliesItsFrameLimitToo() {
            Outcome outcome = feed(
                    () -> OpenProtocols.client(builder -> builder.maxFrameSize(2)),
                    hex("82 03 01 02 03")); // binary, 3 bytes
            assertEquals(List.of(), outcome.events());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.sentCloseCode());
        }
    }

    /** RFC 6455 §7.1.5 and §7.1.6: the close code and reason, and how the connection ended. */
    @Nested
    class CloseReporting {
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

    /** RFC 6455 §7.1.2 – §7.1.4: the closing handshake, from either side. */
    @Nested
    class ClosingHandshake {
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

    /** RFC 6455 §5.4: fragmentation, and control frames in the middle of a fragmented message. */
    @Nested
    class Fragmentation {
        @Test
        void aMessageMaySpanMoreThanTwoFrames() {
            ServerProtocol server = OpenProtocols.server();
            server.sendText(utf8("a"), false);
            server.sendContinuation(utf8("b"), false);
            server.sendContinuation(utf8("c"), true);
            server.sendText(utf8("d"), true); // the message ended: a new one may start
            // text "a" without FIN, continuation "b", continuation "c" with FIN, text "d"
            assertEquals("010161" + "000162" + "800163" + "810164", hex(server.dataToSend()));
        }

        @Test
        void aPingInsideAFragmentedTextMessageIsNotValidatedAsText() {
            // text "κ" split as ce | ba, with a ping carrying ff (not UTF-8) between the fragments
            Outcome outcome = feed(OpenProtocols::client, hex("01 01 ce 89 01 ff 80 01 ba"));
            assertEquals(List.of("TEXT ce", "PING fin ff", "CONTINUATION fin ba"), outcome.events());
            assertEquals(List.of("PONG fin ff"), outcome.sent());
            assertEquals(0, outcome.failureCode());
        }
    }

    /** RFC 6455 §7.1.7: "Fail the WebSocket Connection", in each state. */
    @Nested
    class Failing {
        @ParameterizedTest(name = "fail({0})")
        @ValueSource(ints = {0, 999, 1004, 1005, 1015, 1016, 2999, 5000, -1})
        void aCodeThatMayNotBeSentIsRefusedAndNothingIsSent(int code) {
            // A peer receiving 999 fails in turn with 1002 (§7.4.2): check the code as sendClose does.
            ServerProtocol server = OpenProtocols.server();
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> server.fail(code, "bad code"));
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
            assertEquals(
                    code, Outcome.of(server, List.of(), server.dataToSend()).sentCloseCode());
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
                    CloseCodes.INTERNAL_ERROR,
                    Outcome.of(server, List.of(), output).sentCloseCode());
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

    /** RFC 6455 §9 and RFC 7692 §6: what extensions see, and the checks made after decoding. */
    @Nested
    class Extensions {
        @Test
        void extensionsGetWhatIsLeftOfTheMessageLimit() {
            // text "abc" with RSV1, then continuation "de"
            feed(
                    () -> clientWith(new TransformingExtension(bytes -> bytes), builder -> builder.maxSize(10)),
                    hex("41 03 61 62 63 80 02 64 65"),
                    client -> assertEquals(List.of("TEXT 10", "CONTINUATION 7"), recordedBy(client).decoded));
        }

        @Test
        void withoutAMessageLimitExtensionsGetAnUnlimitedBudget() {
            feed(
                    () -> clientWith(new TransformingExtension(bytes -> bytes), builder -> builder.maxSize(0)),
                    hex("c2 01 00"), // binary with RSV1, one byte
                    client -> assertEquals(List.of("BINARY " + Long.MAX_VALUE), recordedBy(client).decoded));
        }

        @Test
        void controlFramesPassThroughExtensionsWithoutABudget() {
            Outcome outcome = feed(
                    () -> clientWith(new TransformingExtension(bytes -> bytes), builder -> builder.maxSize(10)),
                    hex("89 01 70"), // ping "p"
                    client -> assertEquals(List.of("PING " + Long.MAX_VALUE), recordedBy(client).decoded));
            assertEquals(List.of("PONG fin 70"), outcome.sent());
        }

        @Test
        void aMessageThatGrowsBeyondTheLimitWhenDecodedFails() {
            // 3 bytes on the wire that decode to 12, against a 10-byte limit: the announced length cannot be
            // checked for a compressed message, so the decoded size is.
            UnaryOperator<byte[]> quadruple = bytes -> {
                byte[] out = new byte[bytes.length * 4];
                for (int i = 0; i < out.length; i++) {
                    out[i] = bytes[i / 4];
                }
                return out;
            };
            Outcome outcome = feed(
                    () -> clientWith(new TransformingExtension(quadruple), builder -> builder.maxSize(10)),
                    hex("c2 03 61 62 63")); // binary with RSV1, 3 bytes
            assertEquals(List.of(), outcome.events());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.failureCode());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.sentCloseCode());
        }

        @Test
        void aCompressedTextMessageIsValidatedAfterDecodingNotBefore() {
            // On the wire: ff, not UTF-8; decoded: ce ba, "κ".
            Outcome outcome = feed(
                    () -> clientWith(new TransformingExtension(bytes -> hex("ce ba")), builder -> builder),
                    hex("c1 01 ff")); // text with RSV1
            assertEquals(List.of("TEXT fin ceba"), outcome.events());
            assertEquals(0, outcome.failureCode());
        }

        @Test
        void aCompressedTextMessageThatDecodesToInvalidUtf8Fails() {
            // On the wire: "a"; decoded: ff, which is never valid UTF-8.
            Outcome outcome = feed(
                    () -> clientWith(new TransformingExtension(bytes -> hex("ff")), builder -> builder),
                    hex("c1 01 61")); // text with RSV1
            assertEquals(List.of(), outcome.events());
            assertEquals(CloseCodes.INVALID_PAYLOAD, outcome.failureCode());
            assertEquals(CloseCodes.INVALID_PAYLOAD, outcome.sentCloseCode());
        }
    }

    /** RFC 6455 §4.1: the client's side of the opening handshake. */
    @Nested
    class ClientHandshake {
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
                        assertFalse(
                                output.contains(Protocol.EOF)); // the client still waits for the server to close TCP
                    });
            assertEquals(List.of(), outcome.sent());
        }
    }

    /** RFC 6455 §4.2: the server's side of the opening handshake. */
    @Nested
    class ServerHandshake {
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
                server.sendResponse(
                        server.accept((Request) server.eventsReceived().get(0)));
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
}
