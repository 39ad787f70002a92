package dev.wsflux.protocol;

import static dev.wsflux.protocol.testing.OpenProtocols.MASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.codec.FrameSerializer;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.ServerExtensionFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateClientFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateServerFactory;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedErrorException;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.ConnectionClosedOkException;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.InvalidStateException;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.frames.PayloadTooBigException;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.http11.ExtensionOffer;
import dev.wsflux.protocol.http11.WebSocketUri;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Outcome;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules shared by both sides, fed as bytes, whole and split at every position. */
class ProtocolTest {

    // ------------------------------------------------------------------ helpers

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    /** Frames as a client sends them: masked with the RFC example key. */
    private static byte[] fromClient(Frame... frames) {
        FrameSerializer serializer = new FrameSerializer(true, MaskKeySource.fixed(MASK));
        return serialize(serializer, frames);
    }

    /** Frames as a server sends them: unmasked. */
    private static byte[] fromServer(Frame... frames) {
        return serialize(new FrameSerializer(false, MaskKeySource.fixed(0)), frames);
    }

    private static byte[] serialize(FrameSerializer serializer, Frame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            ByteBuffer bytes = serializer.serialize(frame);
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        }
        return out.toByteArray();
    }

    private static Frame text(String text, boolean fin) {
        return new Frame(Opcode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), fin);
    }

    private static Frame frame(Opcode opcode, byte[] payload, boolean fin) {
        return new Frame(opcode, ByteBuffer.wrap(payload), fin);
    }

    private static Frame close(int code, String reason) {
        return new Frame(Opcode.CLOSE, new CloseStatus(code, reason).toPayload(), true);
    }

    /** Every chunking of {@code input}: whole, every two-way split, one byte at a time. */
    private static List<List<byte[]>> splits(byte[] input) {
        List<List<byte[]>> result = new ArrayList<>();
        result.add(List.of(input));
        for (int i = 1; i < input.length; i++) {
            byte[] head = new byte[i];
            byte[] tail = new byte[input.length - i];
            System.arraycopy(input, 0, head, 0, i);
            System.arraycopy(input, i, tail, 0, tail.length);
            result.add(List.of(head, tail));
        }
        List<byte[]> bytes = new ArrayList<>();
        for (byte b : input) {
            bytes.add(new byte[] {b});
        }
        result.add(bytes);
        return result;
    }

    /** Feeds {@code input} in every chunking; asserts the outcomes are all the same and returns it. */
    private static Outcome feed(Supplier<? extends Protocol> factory, byte[] input) {
        Outcome first = null;
        for (List<byte[]> chunks : splits(input)) {
            Outcome outcome = Outcome.of(factory, chunks);
            if (first == null) {
                first = outcome;
            } else {
                assertEquals(first, outcome, "outcome depends on chunking: " + chunks.size() + " chunks");
            }
        }
        return first;
    }

    private static Outcome toServer(byte[] input) {
        return feed(OpenProtocols::server, input);
    }

    private static Outcome toClient(byte[] input) {
        return feed(OpenProtocols::client, input);
    }

    private static void assertFailed(Outcome outcome, int code) {
        assertEquals(code, outcome.failureCode(), outcome.toString());
        assertEquals(code, outcome.sentCloseCode(), outcome.toString());
    }

    // ------------------------------------------------------------------ tests

    @Nested
    class Rfc6455Examples {
        @Test
        void serverReceivesMaskedHello() {
            Outcome outcome = toServer(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")); // masked text "Hello"
            assertEquals(List.of("TEXT fin 48656c6c6f"), outcome.events());
            assertEquals(List.of(), outcome.sent());
        }

        @Test
        void clientReceivesUnmaskedHello() {
            Outcome outcome = toClient(hex("81 05 48 65 6c 6c 6f")); // unmasked text "Hello"
            assertEquals(List.of("TEXT fin 48656c6c6f"), outcome.events());
        }

        @Test
        void clientReceivesFragmentedHello() {
            Outcome outcome = toClient(hex("01 03 48 65 6c 80 02 6c 6f")); // "Hel" + "lo"
            assertEquals(List.of("TEXT 48656c", "CONTINUATION fin 6c6f"), outcome.events());
        }

        @Test
        void clientSendsMaskedHello() {
            ClientProtocol client = OpenProtocols.client();
            client.sendText(ByteBuffer.wrap("Hello".getBytes(StandardCharsets.UTF_8)), true);
            assertEquals("818537fa213d7f9f4d5158", HexFormat.of().formatHex(OpenProtocols.concat(client.dataToSend())));
        }

        @Test
        void serverSendsUnmaskedHello() {
            ServerProtocol server = OpenProtocols.server();
            server.sendText(ByteBuffer.wrap("Hello".getBytes(StandardCharsets.UTF_8)), true);
            assertEquals("810548656c6c6f", HexFormat.of().formatHex(OpenProtocols.concat(server.dataToSend())));
        }

        @Test
        void pingIsAnsweredWithPongCarryingTheSamePayload() {
            Outcome outcome = toClient(hex("89 05 48 65 6c 6c 6f")); // unmasked ping "Hello"
            assertEquals(List.of("PING fin 48656c6c6f"), outcome.events());
            assertEquals(List.of("PONG fin 48656c6c6f"), outcome.sent());
        }

        @Test
        void serverReceivesMaskedPong() {
            Outcome outcome = toServer(hex("8a 85 37 fa 21 3d 7f 9f 4d 51 58")); // masked pong "Hello"
            assertEquals(List.of("PONG fin 48656c6c6f"), outcome.events());
            assertEquals(List.of(), outcome.sent());
        }
    }

    @Nested
    class Framing {
        @Test
        void serverRejectsUnmaskedFrame() {
            assertFailed(toServer(hex("81 05 48 65 6c 6c 6f")), CloseCodes.PROTOCOL_ERROR);
        }

        @Test
        void clientRejectsMaskedFrame() {
            assertFailed(toClient(hex("81 85 37 fa 21 3d 7f 9f 4d 51 58")), CloseCodes.PROTOCOL_ERROR);
        }

        @ParameterizedTest
        @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
        void reservedOpcodesFailTheConnection(int opcode) {
            assertFailed(toClient(new byte[] {(byte) (0x80 | opcode), 0}), CloseCodes.PROTOCOL_ERROR);
        }

        @ParameterizedTest
        @ValueSource(ints = {0x40, 0x20, 0x10})
        void reservedBitsWithoutAnExtensionFailTheConnection(int rsv) {
            assertFailed(toClient(new byte[] {(byte) (0x81 | rsv), 0}), CloseCodes.PROTOCOL_ERROR);
        }

        @Test
        void aLengthWithTheTopBitSetFailsTheConnection() {
            assertFailed(toClient(hex("82 7f 80 00 00 00 00 00 00 01")), CloseCodes.PROTOCOL_ERROR);
        }

        @Test
        void eofInTheMiddleOfAFrameIsAnAbnormalClosure() {
            ClientProtocol client = OpenProtocols.client();
            client.receiveData(ByteBuffer.wrap(hex("81 05 48 65")));
            client.receiveEof();
            assertEquals(ProtocolState.CLOSED, client.state());
            assertEquals(CloseCodes.ABNORMAL_CLOSURE, ((WebSocketProtocolException) client.failureCause()).closeCode());
            assertInstanceOf(ConnectionClosedErrorException.class, client.closeException());
        }
    }

    @Nested
    class ControlFrames {
        @Test
        void controlFramesLongerThan125BytesFail() {
            byte[] header = hex("89 7e 00 7e"); // ping announcing 126 bytes
            assertFailed(toClient(header), CloseCodes.PROTOCOL_ERROR);
        }

        @Test
        void fragmentedControlFramesFail() {
            assertFailed(toClient(hex("09 00")), CloseCodes.PROTOCOL_ERROR); // ping without FIN
        }

        @Test
        void controlFramesMayInterleaveWithFragments() {
            Outcome outcome = toClient(hex("01 03 48 65 6c 89 00 80 02 6c 6f"));
            assertEquals(List.of("TEXT 48656c", "PING fin ", "CONTINUATION fin 6c6f"), outcome.events());
            assertEquals(List.of("PONG fin "), outcome.sent());
        }
    }

    @Nested
    class Fragmentation {
        @Test
        void continuationWithoutAMessageFails() {
            assertFailed(toClient(hex("80 02 6c 6f")), CloseCodes.PROTOCOL_ERROR);
        }

        @Test
        void newDataFrameInsideAFragmentedMessageFails() {
            assertFailed(toClient(hex("01 03 48 65 6c 81 02 6c 6f")), CloseCodes.PROTOCOL_ERROR);
        }

        @Test
        void messagesCompletedBeforeAViolationAreDelivered() {
            Outcome outcome = toClient(hex("81 02 68 69 80 00"));
            assertEquals(List.of("TEXT fin 6869"), outcome.events());
            assertFailed(outcome, CloseCodes.PROTOCOL_ERROR);
        }
    }

    @Nested
    class Utf8 {
        @Test
        void invalidUtf8FailsAsSoonAsTheBadByteArrives() {
            // A 10-byte text frame whose third byte is invalid: only the first 5 bytes arrive.
            ClientProtocol client = OpenProtocols.client();
            client.receiveData(ByteBuffer.wrap(hex("81 0a 61 62 ff")));
            assertEquals(CloseCodes.INVALID_PAYLOAD, ((WebSocketProtocolException) client.failureCause()).closeCode());
            assertEquals(ProtocolState.CLOSING, client.state());
        }

        @Test
        void invalidUtf8InAFragmentFails() {
            assertFailed(toClient(hex("01 02 ce ba 80 02 ed a0")), CloseCodes.INVALID_PAYLOAD);
        }

        @Test
        void utf8SplitAcrossFragmentsIsValid() {
            Outcome outcome = toClient(hex("01 01 ce 80 01 ba")); // "κ" split between two frames
            assertEquals(List.of("TEXT ce", "CONTINUATION fin ba"), outcome.events());
            assertEquals(0, outcome.failureCode());
        }

        @Test
        void aMessageEndingInsideACodePointFails() {
            assertFailed(toClient(hex("81 01 ce")), CloseCodes.INVALID_PAYLOAD);
        }

        @Test
        void binaryIsNotValidated() {
            assertEquals(List.of("BINARY fin ff"), toClient(hex("82 01 ff")).events());
        }
    }

    @Nested
    class MessageSize {
        /** A server limited to 1,024 bytes, with permessage-deflate when {@code compression}. */
        private ServerProtocol limitedServer(boolean compression) {
            return compression
                    ? OpenProtocols.server(
                            builder ->
                                    builder.maxSize(1024).extensions(List.of(PerMessageDeflateServerFactory.create())),
                            "Sec-WebSocket-Extensions: permessage-deflate")
                    : OpenProtocols.server(builder -> builder.maxSize(1024));
        }

        /** What a client (compressing when {@code compression}) writes for a 2,000-byte text message. */
        private byte[] twoThousandBytesFromAClient(boolean compression) {
            ClientProtocol client = compression
                    ? OpenProtocols.client(
                            builder -> builder.extensions(List.of(PerMessageDeflateClientFactory.create())),
                            "Sec-WebSocket-Extensions: permessage-deflate")
                    : OpenProtocols.client();
            client.sendText(ByteBuffer.wrap("a".repeat(2000).getBytes(StandardCharsets.US_ASCII)), true);
            return OpenProtocols.concat(client.dataToSend());
        }

        @Test
        void anUncompressedMessageOverMaxSizeIsReportedWithItsAnnouncedLength() {
            ServerProtocol server = limitedServer(false);
            server.receiveData(ByteBuffer.wrap(twoThousandBytesFromAClient(false)));
            PayloadTooBigException e = assertInstanceOf(PayloadTooBigException.class, server.failureCause());
            assertEquals("message too big: 2000 bytes exceeds limit of 1024 bytes", e.getMessage());
            assertTrue(e.isSizeKnown());
        }

        @Test
        void aCompressedMessageOverMaxSizeIsReportedAsMoreThanTheLimit() {
            // The decompressor stops one byte past the limit: 1,025 is not the message's size.
            ServerProtocol server = limitedServer(true);
            byte[] wire = twoThousandBytesFromAClient(true);
            assertTrue(wire.length < 100, "compressed to " + wire.length + " bytes");
            server.receiveData(ByteBuffer.wrap(wire));
            PayloadTooBigException e = assertInstanceOf(PayloadTooBigException.class, server.failureCause());
            assertEquals("message too big: more than 1024 bytes", e.getMessage());
            assertFalse(e.isSizeKnown());
            assertEquals(1024, e.limit());
            server.commitClose();
            Outcome outcome = Outcome.of(server, List.of(), server.dataToSend());
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, outcome.sentCloseCode());
        }

        @Test
        void anAnnouncedLengthOverMaxSizeFailsBeforeThePayloadArrives() {
            ClientProtocol client = OpenProtocols.client(builder -> builder.maxSize(1024));
            client.receiveData(ByteBuffer.wrap(hex("82 7e 04 01"))); // binary, 1025 bytes announced
            assertInstanceOf(PayloadTooBigException.class, client.failureCause());
            assertEquals(
                    CloseCodes.MESSAGE_TOO_BIG,
                    Outcome.of(client, List.of(), client.dataToSend()).sentCloseCode());
        }

        @Test
        void aFragmentedMessageOverMaxSizeFails() {
            Outcome outcome =
                    feed(() -> OpenProtocols.client(builder -> builder.maxSize(4)), hex("02 03 01 02 03 80 02 04 05"));
            assertEquals(List.of("BINARY 010203"), outcome.events());
            assertFailed(outcome, CloseCodes.MESSAGE_TOO_BIG);
        }

        @Test
        void maxSizeZeroDisablesTheLimit() {
            ClientProtocol client = OpenProtocols.client(builder -> builder.maxSize(0));
            byte[] header = hex("82 7f 00 00 00 00 00 20 00 00"); // 2 MiB
            client.receiveData(ByteBuffer.wrap(header));
            assertNull(client.failureCause());
        }
    }

    @Nested
    class Closing {
        @Test
        void aReceivedCloseIsAnsweredWithTheSameCodeAndTheServerClosesTcp() {
            Outcome outcome = toServer(fromClient(close(1001, "bye")));
            assertEquals(List.of(Outcome.close(1001)), outcome.sent());
            assertTrue(outcome.eof());
            assertEquals(ProtocolState.CLOSING, outcome.state());
        }

        @Test
        void theClientWaitsForTheServerToCloseTcp() {
            ClientProtocol client = OpenProtocols.client();
            client.receiveData(ByteBuffer.wrap(fromServer(close(1000, ""))));
            List<ByteBuffer> output = client.dataToSend();
            assertFalse(output.contains(Protocol.EOF));
            assertTrue(client.closeExpected());
            client.receiveEof();
            assertSame(Protocol.EOF, client.dataToSend().get(0));
            assertEquals(ProtocolState.CLOSED, client.state());
            assertInstanceOf(ConnectionClosedOkException.class, client.closeException());
            assertEquals(Boolean.TRUE, client.closeException().receivedThenSent());
        }

        @Test
        void anEmptyCloseIsAnsweredWithAnEmptyClose() {
            Outcome outcome = toClient(hex("88 00"));
            assertEquals(List.of("CLOSE fin "), outcome.sent());
        }

        @Test
        void aOneByteCloseFails() {
            assertFailed(toClient(hex("88 01 03")), CloseCodes.PROTOCOL_ERROR);
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
        void invalidCloseCodesFail(int code) {
            byte[] payload = ByteBuffer.allocate(2).putShort((short) code).array();
            assertFailed(toClient(fromServer(frame(Opcode.CLOSE, payload, true))), CloseCodes.PROTOCOL_ERROR);
        }

        @ParameterizedTest
        @ValueSource(
                ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
        void validCloseCodesAreEchoed(int code) {
            Outcome outcome = toClient(fromServer(close(code, "")));
            assertEquals(0, outcome.failureCode());
            assertEquals(code, outcome.sentCloseCode());
        }

        @Test
        void anInvalidUtf8ReasonFails() {
            byte[] payload = hex("03 e8 ce");
            assertFailed(toClient(fromServer(frame(Opcode.CLOSE, payload, true))), CloseCodes.INVALID_PAYLOAD);
        }

        @Test
        void inputAfterCloseIsDiscarded() {
            Outcome outcome = toClient(hex("88 02 03 e8 81 02 68 69 89 00"));
            assertEquals(List.of("CLOSE fin 03e8"), outcome.events());
            assertEquals(List.of(Outcome.close(1000)), outcome.sent());
        }

        @Test
        void inputAfterAFailureIsDiscarded() {
            Outcome outcome = toClient(hex("80 00 81 02 68 69"));
            assertEquals(List.of(), outcome.events());
        }

        @Test
        void closingHandshakeStartedByTheServer() {
            ServerProtocol server = OpenProtocols.server();
            server.sendClose(1000, "done");
            assertEquals(ProtocolState.CLOSING, server.state());
            assertTrue(server.closeExpected());
            List<ByteBuffer> first = server.dataToSend();
            assertFalse(first.contains(Protocol.EOF));
            server.receiveData(ByteBuffer.wrap(fromClient(close(1000, "done"))));
            assertSame(Protocol.EOF, server.dataToSend().get(0));
            server.receiveEof();
            ConnectionClosedException closed = server.closeException();
            assertTrue(closed.isOk());
            assertEquals(Boolean.FALSE, closed.receivedThenSent());
            assertEquals(new CloseStatus(1000, "done"), closed.sent());
        }

        @Test
        void pingAndPongAreAllowedWhileClosing() {
            ClientProtocol client = OpenProtocols.client();
            client.sendClose(1000, "");
            client.dataToSend();
            client.sendPing(ByteBuffer.wrap(new byte[] {1}));
            client.sendPong(ByteBuffer.wrap(new byte[] {2}));
            assertEquals(2, client.dataToSend().size());
        }

        @Test
        void anErrorClosureIsReportedAsError() {
            ClientProtocol client = OpenProtocols.client();
            client.receiveData(ByteBuffer.wrap(fromServer(close(1011, "oops"))));
            client.receiveEof();
            ConnectionClosedException closed = client.closeException();
            assertInstanceOf(ConnectionClosedErrorException.class, closed);
            assertEquals(new CloseStatus(1011, "oops"), closed.received());
            assertEquals(new CloseStatus(1011, ""), closed.sent());
        }

        @Test
        void eofWithoutCloseIsAbnormal() {
            ClientProtocol client = OpenProtocols.client();
            client.receiveEof();
            assertEquals(CloseCodes.ABNORMAL_CLOSURE, client.closeCode());
            assertNull(client.closeException().received());
            assertFalse(client.closeExpected());
        }
    }

    @Nested
    class Misuse {
        @Test
        void sendingDataWhileClosingThrowsAndChangesNothing() {
            ServerProtocol server = OpenProtocols.server();
            server.sendClose(1000, "");
            server.dataToSend();
            assertThrows(InvalidStateException.class, () -> server.sendText(ByteBuffer.allocate(0), true));
            assertThrows(InvalidStateException.class, () -> server.sendClose(1000, ""));
            assertEquals(ProtocolState.CLOSING, server.state());
            assertEquals(List.of(), server.dataToSend());
        }

        @Test
        void continuationWithNothingToContinueThrows() {
            ServerProtocol server = OpenProtocols.server();
            assertThrows(IllegalStateException.class, () -> server.sendContinuation(ByteBuffer.allocate(0), true));
            assertEquals(List.of(), server.dataToSend());
        }

        @Test
        void aNewMessageDuringAFragmentedOneThrows() {
            ServerProtocol server = OpenProtocols.server();
            server.sendBinary(ByteBuffer.allocate(1), false);
            assertThrows(IllegalStateException.class, () -> server.sendText(ByteBuffer.allocate(0), true));
            server.sendContinuation(ByteBuffer.allocate(1), true);
            assertEquals(2, server.dataToSend().size());
        }

        @Test
        void aReasonWithoutACodeThrows() {
            ServerProtocol server = OpenProtocols.server();
            assertThrows(IllegalArgumentException.class, () -> server.sendClose(CloseCodes.NO_STATUS_RCVD, "why"));
            assertEquals(ProtocolState.OPEN, server.state());
        }

        @ParameterizedTest
        @ValueSource(ints = {999, 1005, 1006, 1015, 2000, 5000})
        void unsendableCodesThrow(int code) {
            ServerProtocol server = OpenProtocols.server();
            assertThrows(IllegalArgumentException.class, () -> server.sendClose(code, "x"));
            assertEquals(ProtocolState.OPEN, server.state());
        }

        @Test
        void aReasonLongerThan123BytesThrows() {
            ServerProtocol server = OpenProtocols.server();
            assertThrows(IllegalArgumentException.class, () -> server.sendClose(1000, "x".repeat(124)));
            server.sendClose(1000, "x".repeat(123));
            assertEquals(ProtocolState.CLOSING, server.state());
        }

        @Test
        void controlPayloadsLongerThan125BytesThrow() {
            ServerProtocol server = OpenProtocols.server();
            assertThrows(IllegalArgumentException.class, () -> server.sendPing(ByteBuffer.allocate(126)));
            assertThrows(IllegalArgumentException.class, () -> server.sendPong(ByteBuffer.allocate(126)));
        }

        @Test
        void sendingBeforeTheHandshakeThrows() {
            ServerProtocol server = ServerProtocol.builder().build();
            assertThrows(InvalidStateException.class, () -> server.sendBinary(ByteBuffer.allocate(0), true));
            assertThrows(InvalidStateException.class, () -> server.sendPing(ByteBuffer.allocate(0)));
        }

        @Test
        void failingWith1006ClosesTcpWithoutACloseFrameAndStopsSending() {
            ClientProtocol client = OpenProtocols.client();
            client.fail(CloseCodes.ABNORMAL_CLOSURE, "");
            assertEquals(List.of(Protocol.EOF), client.dataToSend());
            assertEquals(ProtocolState.CLOSING, client.state());
            assertNull(client.closeSent());
            assertThrows(InvalidStateException.class, () -> client.sendText(ByteBuffer.allocate(0), true));
        }

        @Test
        void failTruncatesLongReasonsOnACodePointBoundary() {
            ServerProtocol server = OpenProtocols.server();
            server.fail(CloseCodes.POLICY_VIOLATION, "é".repeat(100));
            assertEquals(122, server.closeSent().reason().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Nested
    class DeferredClose {
        private ServerProtocol deferred() {
            return OpenProtocols.server(builder -> builder.deferClose(true));
        }

        @Test
        void aReceivedCloseWaitsForCommitAndRepliesMayGoFirst() {
            ServerProtocol server = deferred();
            server.receiveData(ByteBuffer.wrap(fromClient(text("hi", true), close(1000, ""))));
            assertEquals(2, server.eventsReceived().size());
            assertTrue(server.closePending());
            assertEquals(List.of(), server.dataToSend());
            server.sendText(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)), true);
            server.commitClose();
            Outcome outcome = Outcome.of(server, List.of(), server.dataToSend());
            assertEquals(List.of("TEXT fin 6869", Outcome.close(1000)), outcome.sent());
            assertTrue(outcome.eof());
        }

        @Test
        void aViolationWaitsForCommit() {
            ServerProtocol server = deferred();
            server.receiveData(ByteBuffer.wrap(fromClient(text("hi", true))));
            server.receiveData(ByteBuffer.wrap(hex("80 80 00 00 00 00"))); // continuation without a message
            assertEquals(1, server.eventsReceived().size());
            assertTrue(server.closePending());
            assertEquals(ProtocolState.OPEN, server.state());
            server.sendText(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)), true);
            server.commitClose();
            Outcome outcome = Outcome.of(server, List.of(), server.dataToSend());
            assertEquals(CloseCodes.PROTOCOL_ERROR, outcome.sentCloseCode());
            assertEquals(2, outcome.sent().size());
            assertTrue(outcome.eof());
            assertFalse(server.closePending());
        }

        @Test
        void sendCloseCommitsThePendingClose() {
            ServerProtocol server = deferred();
            server.receiveData(ByteBuffer.wrap(fromClient(close(1001, ""))));
            server.sendClose(1000, "ignored");
            assertEquals(new CloseStatus(1001, ""), server.closeSent());
        }

        @Test
        void commitWithoutAPendingCloseDoesNothing() {
            ServerProtocol server = deferred();
            server.commitClose();
            assertEquals(List.of(), server.dataToSend());
        }
    }

    @Nested
    class Extensions {
        /** A test extension on RSV2 that XORs data payloads with 0x55. */
        private final class XorExtension implements Extension {
            boolean closed;

            @Override
            public String name() {
                return "x-xor";
            }

            @Override
            public int rsvBits() {
                return 0b010;
            }

            @Override
            public Frame decode(Frame frame, long maxMessageSize) {
                return frame.opcode().isControl()
                        ? frame
                        : new Frame(frame.opcode(), xor(frame.payload()), frame.fin());
            }

            @Override
            public Frame encode(Frame frame, boolean compress) {
                if (frame.opcode().isControl() || !compress) {
                    return frame;
                }
                return new Frame(frame.opcode(), xor(frame.payload()), frame.fin(), false, true, false);
            }

            @Override
            public void close() {
                closed = true;
            }

            private ByteBuffer xor(ByteBuffer payload) {
                byte[] bytes = new byte[payload.remaining()];
                payload.duplicate().get(bytes);
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] ^= 0x55;
                }
                return ByteBuffer.wrap(bytes);
            }
        }

        private final XorExtension extension = new XorExtension();

        private ServerProtocol server() {
            ServerExtensionFactory factory = new ServerExtensionFactory() {
                @Override
                public String name() {
                    return "x-xor";
                }

                @Override
                public Accepted accept(ExtensionOffer offer, List<Extension> accepted) {
                    return new Accepted(ExtensionOffer.of("x-xor"), extension);
                }
            };
            return OpenProtocols.server(
                    builder -> builder.extensions(List.of(factory)), "Sec-WebSocket-Extensions: x-xor");
        }

        @Test
        void framesPassThroughTheExtensionBothWays() {
            ServerProtocol server = server();
            assertEquals(List.of(extension), server.extensions());
            server.receiveData(ByteBuffer.wrap(hex("a1 81 00 00 00 00 3d"))); // RSV2 text, "h" ^ 0x55
            Frame frame = (Frame) server.eventsReceived().get(0);
            assertEquals("h", frame.payloadText());
            server.sendBinary(ByteBuffer.wrap(new byte[] {0x55}), true);
            assertEquals("a20100", HexFormat.of().formatHex(OpenProtocols.concat(server.dataToSend())));
        }

        @Test
        void theOptOutSendsAsIs() {
            ServerProtocol server = server();
            server.sendBinary(ByteBuffer.wrap(new byte[] {0x55}), true, false);
            assertEquals("820155", HexFormat.of().formatHex(OpenProtocols.concat(server.dataToSend())));
        }

        @Test
        void bitsNotClaimedStillFail() {
            ServerProtocol server = server();
            server.receiveData(ByteBuffer.wrap(hex("c1 80 00 00 00 00"))); // RSV1 is not claimed
            assertEquals(CloseCodes.PROTOCOL_ERROR, ((WebSocketProtocolException) server.failureCause()).closeCode());
        }

        @Test
        void extensionsAreClosedWithTheConnection() {
            ServerProtocol server = server();
            server.receiveEof();
            assertTrue(extension.closed);
        }
    }

    @Test
    void theIdIsMadeOnceAndStaysTheSame() {
        ServerProtocol server = ServerProtocol.builder().build();
        ClientProtocol client =
                ClientProtocol.builder(WebSocketUri.parse("ws://example.com/")).build();
        assertSame(server.id(), server.id());
        assertFalse(server.id().equals(client.id()));
        assertEquals(4, server.id().version());
    }

    @Test
    void aServerHandsALargePayloadOverAfterItsHeaderWithoutCopyingIt() {
        ServerProtocol server = OpenProtocols.server();
        server.dataToSend();
        byte[] payload = new byte[Protocol.UNCOPIED_PAYLOAD];
        payload[0] = 42;
        ByteBuffer data = ByteBuffer.wrap(payload);
        server.sendBinary(data, true, false);

        List<ByteBuffer> out = server.dataToSend();

        assertEquals(2, out.size(), "the header, then the payload itself");
        assertEquals(4, out.get(0).remaining(), "FIN+binary, 126, 16-bit length");
        assertSame(payload, out.get(1).array());
        assertEquals(Protocol.UNCOPIED_PAYLOAD, out.get(1).remaining());
        ByteBuffer smaller = ByteBuffer.allocate(Protocol.UNCOPIED_PAYLOAD - 1);
        server.sendBinary(smaller, true, false);
        assertEquals(1, server.dataToSend().size(), "below the threshold the frame is copied whole");
    }
}
