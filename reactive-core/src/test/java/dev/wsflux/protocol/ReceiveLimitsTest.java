package dev.wsflux.protocol;

import static dev.wsflux.protocol.testing.OpenProtocols.MASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.codec.FrameSerializer;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateServerFactory;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.WebSocketKey;
import dev.wsflux.protocol.http11.WebSocketUri;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Splits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link Protocol#receiveData(ByteBuffer, int, long)}: parsing stops at message boundaries once a limit is
 * reached, the rest of the input is kept (never dropped, never decoded early), and a later call goes on
 * from there. This is what lets the session engine bound inbound memory by construction.
 */
class ReceiveLimitsTest {

    private static Frame text(String text) {
        return new Frame(Opcode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true);
    }

    private static byte[] fromClient(Frame... frames) {
        FrameSerializer serializer = new FrameSerializer(true, MaskKeySource.fixed(MASK));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            ByteBuffer bytes = serializer.serialize(frame);
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        }
        return out.toByteArray();
    }

    /** The data messages among {@code events}, as text (final frames only: the tests send whole messages). */
    private static List<String> texts(List<Event> events) {
        List<String> texts = new ArrayList<>();
        for (Event event : events) {
            if (event instanceof Frame frame && frame.opcode().isData()) {
                texts.add(StandardCharsets.UTF_8.decode(frame.payload()).toString());
            }
        }
        return texts;
    }

    private static List<String> messages(int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add("m" + i);
        }
        return texts;
    }

    private static byte[] textFrames(List<String> texts, Frame... after) {
        List<Frame> frames = new ArrayList<>();
        texts.forEach(t -> frames.add(text(t)));
        frames.addAll(List.of(after));
        return fromClient(frames.toArray(new Frame[0]));
    }

    @Nested
    class MessageLimit {
        @Test
        void parsingStopsAfterTheLimitAndTheRestIsKeptForTheNextCall() {
            List<String> sent = messages(10);
            for (Splits.Chunking chunking : Splits.of(textFrames(sent))) {
                ServerProtocol server = OpenProtocols.server();
                List<String> received = new ArrayList<>();
                for (ByteBuffer chunk : chunking.chunks()) {
                    server.receiveData(chunk, 3, Long.MAX_VALUE);
                    assertFalse(chunk.hasRemaining(), chunking.name() + ": the input is consumed (kept, not left)");
                    List<String> batch = texts(server.eventsReceived());
                    assertTrue(batch.size() <= 3, chunking.name() + ": " + batch);
                    received.addAll(batch);
                }
                while (server.hasUnparsedInput()) {
                    List<String> batch = texts(eventsAfter(server, 3, Long.MAX_VALUE));
                    assertTrue(!batch.isEmpty() && batch.size() <= 3, chunking.name() + ": " + batch);
                    received.addAll(batch);
                }
                assertEquals(sent, received, chunking.name());
                assertEquals(0, server.unparsedBytes(), chunking.name());
            }
        }

        @Test
        void aLimitOfZeroParsesNothingNotEvenAControlFrame() {
            ServerProtocol server = OpenProtocols.server();
            byte[] input = fromClient(new Frame(Opcode.PING, ByteBuffer.allocate(0), true), text("a"));
            server.receiveData(ByteBuffer.wrap(input), 0, Long.MAX_VALUE);
            assertTrue(server.eventsReceived().isEmpty());
            assertTrue(server.dataToSend().isEmpty(), "no Pong yet: the Ping was not parsed");
            assertEquals(input.length, server.unparsedBytes());

            List<Event> events = eventsAfter(server, 1, Long.MAX_VALUE);
            assertEquals(2, events.size());
            assertEquals(Opcode.PING, ((Frame) events.get(0)).opcode());
            assertFalse(server.dataToSend().isEmpty(), "the Pong");
            assertFalse(server.hasUnparsedInput());
        }

        @Test
        void newInputWaitsBehindTheBytesKept() {
            ServerProtocol server = OpenProtocols.server();
            server.receiveData(ByteBuffer.wrap(textFrames(List.of("a", "b"))), 1, Long.MAX_VALUE);
            assertEquals(List.of("a"), texts(server.eventsReceived()));
            server.receiveData(ByteBuffer.wrap(textFrames(List.of("c"))), 5, Long.MAX_VALUE);
            assertEquals(List.of("b", "c"), texts(server.eventsReceived()));
        }

        @Test
        void aCloseBehindTheLimitIsSeenOnlyOnceParsingGoesOn() {
            ServerProtocol server = OpenProtocols.server();
            byte[] input =
                    textFrames(List.of("a", "b"), new Frame(Opcode.CLOSE, new CloseStatus(1000, "").toPayload(), true));
            server.receiveData(ByteBuffer.wrap(input), 1, Long.MAX_VALUE);
            assertEquals(List.of("a"), texts(server.eventsReceived()));
            assertEquals(null, server.closeReceived());
            server.receiveData(ByteBuffer.allocate(0), 16, Long.MAX_VALUE);
            assertEquals(List.of("b"), texts(server.eventsReceived()));
            assertEquals(new CloseStatus(1000, ""), server.closeReceived());
        }

        @Test
        void negativeLimitsAreRefused() {
            ServerProtocol server = OpenProtocols.server();
            assertThrows(IllegalArgumentException.class, () -> server.receiveData(ByteBuffer.allocate(0), -1, 0));
            assertThrows(IllegalArgumentException.class, () -> server.receiveData(ByteBuffer.allocate(0), 0, -1));
        }
    }

    @Nested
    class ByteLimit {
        @Test
        void parsingStopsAfterTheMessageThatReachesTheByteLimit() {
            ServerProtocol server = OpenProtocols.server();
            // Messages of 2 bytes: a limit of 5 bytes completes 3 (6 bytes), then stops.
            server.receiveData(ByteBuffer.wrap(textFrames(messages(10))), Integer.MAX_VALUE, 5);
            assertEquals(List.of("m0", "m1", "m2"), texts(server.eventsReceived()));
            assertTrue(server.hasUnparsedInput());
        }
    }

    @Nested
    class CompressedFlood {
        /** 85-byte frames that each inflate to 64 KiB: the attack of the issue that made this API. */
        @Test
        void smallFramesThatInflateTo64KiBAreDecodedOnlyWithinTheLimit() {
            ServerProtocol server = OpenProtocols.server(
                    builder -> builder.extensions(List.of(PerMessageDeflateServerFactory.create())),
                    "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover");
            byte[] compressed = deflateZeros(64 * 1024);
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            int count = 0;
            while (flood.size() < 64 * 1024) {
                flood.writeBytes(
                        fromClient(new Frame(Opcode.BINARY, ByteBuffer.wrap(compressed), true, true, false, false)));
                count++;
            }
            ByteBuffer read = ByteBuffer.wrap(flood.toByteArray());
            server.receiveData(read, 16, 1 << 20);
            List<Event> events = server.eventsReceived();
            long decoded = 0;
            for (Event event : events) {
                decoded += ((Frame) event).length();
            }
            assertEquals(16, events.size(), "only the messages the queue has room for are decoded");
            assertEquals(16L * 64 * 1024, decoded);
            assertEquals(flood.size() - 16L * (flood.size() / count), server.unparsedBytes());

            int total = 16;
            while (server.hasUnparsedInput()) {
                total += eventsAfter(server, 16, 1 << 20).size();
            }
            assertEquals(count, total, "nothing dropped");
        }

        private byte[] deflateZeros(int size) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            deflater.setInput(new byte[size]);
            byte[] out = new byte[1024];
            int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            deflater.end();
            // RFC 7692 §7.2.1: the trailing 00 00 ff ff of the sync flush is removed.
            byte[] payload = new byte[n - 4];
            System.arraycopy(out, 0, payload, 0, payload.length);
            return payload;
        }
    }

    @Nested
    class EarlyData {
        @Test
        void framesSentWithTheRequestAreParsedWithinTheLimitsOnceTheConnectionOpens() {
            ServerProtocol server = ServerProtocol.builder().build();
            ByteArrayOutputStream input = new ByteArrayOutputStream();
            input.writeBytes(OpenProtocols.request().getBytes(StandardCharsets.US_ASCII));
            input.writeBytes(textFrames(messages(5)));
            server.receiveData(ByteBuffer.wrap(input.toByteArray()), 2, Long.MAX_VALUE);
            Request request = (Request) server.eventsReceived().get(0);
            server.sendResponse(server.accept(request));
            assertEquals(List.of("m0", "m1"), texts(server.eventsReceived()));
            assertTrue(server.hasUnparsedInput());
            assertEquals(List.of("m2", "m3", "m4"), texts(eventsAfter(server, 10, Long.MAX_VALUE)));
        }

        @Test
        void framesSentWithTheResponseAreParsedWithinTheLimits() {
            ClientProtocol client = ClientProtocol.builder(WebSocketUri.parse("ws://example.com/"))
                    .build();
            Request request = client.connect();
            client.sendRequest(request);
            String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: "
                    + WebSocketKey.accept(request.headers().get("Sec-WebSocket-Key"))
                    + "\r\n\r\n";
            ByteArrayOutputStream input = new ByteArrayOutputStream();
            input.writeBytes(response.getBytes(StandardCharsets.US_ASCII));
            FrameSerializer serializer = new FrameSerializer(false, MaskKeySource.fixed(0));
            for (String text : messages(3)) {
                ByteBuffer bytes = serializer.serialize(text(text));
                input.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            }
            client.receiveData(ByteBuffer.wrap(input.toByteArray()), 1, Long.MAX_VALUE);
            assertEquals(List.of("m0"), texts(client.eventsReceived()));
            assertEquals(List.of("m1", "m2"), texts(eventsAfter(client, 10, Long.MAX_VALUE)));
        }
    }

    @Nested
    class Bound {
        @Test
        void inputBeyondTheBoundFailsTheConnectionWith1009OnceTheKeptPrefixWasParsed() {
            ServerProtocol server = OpenProtocols.server();
            byte[] one = textFrames(List.of("x".repeat(1000)));
            int copies = Protocol.MAX_UNPARSED / one.length + 2;
            for (int i = 0; i < copies; i++) {
                server.receiveData(ByteBuffer.wrap(one), 0, 0);
            }
            assertEquals(Protocol.MAX_UNPARSED, server.unparsedBytes(), "never more than the bound");
            int parsed = 0;
            while (server.hasUnparsedInput()) {
                parsed += texts(eventsAfter(server, 100, Long.MAX_VALUE)).size();
            }
            assertEquals(Protocol.MAX_UNPARSED / one.length, parsed, "every whole message kept was delivered");
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, server.closeSent().code());
        }
    }

    private static List<Event> eventsAfter(Protocol protocol, int messages, long bytes) {
        protocol.receiveData(ByteBuffer.allocate(0), messages, bytes);
        return protocol.eventsReceived();
    }
}
