package dev.wsflux.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.codec.FrameSerializer;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateClientFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateServerFactory;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.testing.Hex;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Splits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The frame observer sees every frame, the ones the protocol writes on its own included. */
class FrameObserverTest {

    /** Records each frame as {@code "< PING fin 6869"}: direction, opcode, flags, payload hex. */
    static final class RecordingObserver implements FrameObserver {
        final List<String> frames = new ArrayList<>();
        boolean allReadOnly = true;

        @Override
        public void onFrame(Direction direction, Opcode opcode, boolean fin, int rsvBits, ByteBuffer payload) {
            allReadOnly &= payload.isReadOnly();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes); // consumes the view: the protocol must not care
            frames.add((direction == Direction.RECEIVED ? "< " : "> ")
                    + opcode
                    + (fin ? " fin" : "")
                    + ((rsvBits & 0b100) != 0 ? " rsv1" : "")
                    + (bytes.length > 0 ? " " + HexFormat.of().formatHex(bytes) : ""));
        }
    }

    private static ClientProtocol client(RecordingObserver observer) {
        return OpenProtocols.client(builder -> builder.frameObserver(observer));
    }

    /** Frames as a server sends them: unmasked. */
    private static ByteBuffer fromServer(String hex) {
        return Hex.buffer(hex);
    }

    /** Feeds {@code wire} to a fresh client in every chunking; asserts the frames observed are the same. */
    private static List<String> observedForEverySplit(Function<RecordingObserver, Protocol> open, byte[] wire) {
        List<String> first = null;
        for (Splits.Chunking chunking : Splits.of(wire)) {
            RecordingObserver observer = new RecordingObserver();
            Protocol protocol = open.apply(observer);
            for (ByteBuffer chunk : chunking.chunks()) {
                protocol.receiveData(chunk);
            }
            if (first == null) {
                first = observer.frames;
            } else {
                assertEquals(first, observer.frames, chunking.name());
            }
        }
        return first;
    }

    @Nested
    class ControlFramesTheProtocolWritesItself {
        @Test
        void aPingIsObservedBeforeThePongThatAnswersIt() {
            List<String> frames =
                    observedForEverySplit(FrameObserverTest::client, Hex.decode("89 02 68 69")); // Ping "hi"
            assertEquals(List.of("< PING fin 6869", "> PONG fin 6869"), frames);
        }

        @Test
        void thePeersCloseAndTheEchoedCloseAreObserved() {
            List<String> frames = observedForEverySplit(
                    FrameObserverTest::client, Hex.decode("88 05 03e8 627965")); // Close 1000 "bye"
            assertEquals(List.of("< CLOSE fin 03e8627965", "> CLOSE fin 03e8"), frames);
        }

        @Test
        void aDeferredCloseIsObservedWhenItIsCommitted() {
            RecordingObserver observer = new RecordingObserver();
            ClientProtocol client =
                    OpenProtocols.client(builder -> builder.deferClose(true).frameObserver(observer));
            client.receiveData(fromServer("88 02 03e9")); // Close 1001
            assertEquals(List.of("< CLOSE fin 03e9"), observer.frames);
            client.commitClose();
            assertEquals(List.of("< CLOSE fin 03e9", "> CLOSE fin 03e9"), observer.frames);
        }

        @Test
        void theCloseThatFailsTheConnectionIsObservedButNotTheFrameRefusedFromItsHeader() {
            RecordingObserver observer = new RecordingObserver();
            ClientProtocol client =
                    OpenProtocols.client(builder -> builder.maxSize(4).frameObserver(observer));
            client.receiveData(fromServer("82 05 0102030405")); // binary, 5 bytes > maxSize 4
            assertEquals(1, observer.frames.size(), observer.frames.toString());
            assertTrue(observer.frames.get(0).startsWith("> CLOSE fin 03f1"), observer.frames.toString()); // 1009
        }

        @Test
        void aCloseWithAnInvalidCodeIsObservedBeforeTheFailure() {
            // Close 1005: a code that may not be on the wire
            List<String> frames = observedForEverySplit(FrameObserverTest::client, Hex.decode("88 02 03ed"));
            assertEquals(2, frames.size(), frames.toString());
            assertEquals("< CLOSE fin 03ed", frames.get(0));
            assertTrue(frames.get(1).startsWith("> CLOSE fin 03ea"), frames.toString()); // 1002
        }

        @Test
        void pingsAndCloseSentByTheApplicationAreObserved() {
            RecordingObserver observer = new RecordingObserver();
            ServerProtocol server = OpenProtocols.server(builder -> builder.frameObserver(observer));
            server.sendPing(ByteBuffer.wrap(new byte[] {1}));
            server.sendPong(ByteBuffer.allocate(0));
            server.sendClose(1000, "");
            assertEquals(List.of("> PING fin 01", "> PONG fin", "> CLOSE fin 03e8"), observer.frames);
        }
    }

    @Nested
    class DataFrames {
        @Test
        void sentAndReceivedInOrderWithTheirFlags() {
            RecordingObserver observer = new RecordingObserver();
            ClientProtocol client = client(observer);
            client.sendText(ByteBuffer.wrap("Hel".getBytes(StandardCharsets.UTF_8)), false);
            client.sendContinuation(ByteBuffer.wrap("lo".getBytes(StandardCharsets.UTF_8)), true);
            client.receiveData(fromServer("82 02 0001"));
            assertEquals(List.of("> TEXT 48656c", "> CONTINUATION fin 6c6f", "< BINARY fin 0001"), observer.frames);
            assertTrue(observer.allReadOnly);
        }

        @Test
        void compressedFramesShowRsv1AndTheDecompressedPayload() {
            RecordingObserver clientFrames = new RecordingObserver();
            ClientProtocol client = OpenProtocols.client(
                    builder -> builder.extensions(List.of(PerMessageDeflateClientFactory.create()))
                            .frameObserver(clientFrames),
                    "Sec-WebSocket-Extensions: permessage-deflate");
            RecordingObserver serverFrames = new RecordingObserver();
            ServerProtocol server = OpenProtocols.server(
                    builder -> builder.extensions(List.of(PerMessageDeflateServerFactory.create()))
                            .frameObserver(serverFrames),
                    "Sec-WebSocket-Extensions: permessage-deflate");
            byte[] text = "a".repeat(200).getBytes(StandardCharsets.UTF_8); // over the 128-byte threshold
            client.sendText(ByteBuffer.wrap(text), true);
            for (ByteBuffer bytes : client.dataToSend()) {
                server.receiveData(bytes);
            }
            String expected = "TEXT fin rsv1 " + "61".repeat(200);
            assertEquals(List.of("> " + expected), clientFrames.frames);
            assertEquals(List.of("< " + expected), serverFrames.frames);
            assertEquals("a".repeat(200), ((Frame) server.eventsReceived().get(0)).payloadText());
        }

        @Test
        void aLargeServerFrameHandedOverUncopiedIsObservedWhole() {
            RecordingObserver observer = new RecordingObserver();
            ServerProtocol server = OpenProtocols.server(builder -> builder.frameObserver(observer));
            byte[] payload = new byte[Protocol.UNCOPIED_PAYLOAD];
            server.sendBinary(ByteBuffer.wrap(payload), true);
            assertEquals(List.of("> BINARY fin " + "00".repeat(payload.length)), observer.frames);
            assertEquals(
                    FrameSerializer.headerLength(payload.length, false) + payload.length,
                    OpenProtocols.concat(server.dataToSend()).length);
        }
    }

    @Nested
    class AnObserverThatThrows {
        private final FrameObserver throwing = (direction, opcode, fin, rsvBits, payload) -> {
            throw new IllegalStateException("observer bug");
        };

        @Test
        void onAReceivedFrameFailsTheConnectionWith1011AndIsNotCalledAgain() {
            ClientProtocol client = OpenProtocols.client(builder -> builder.frameObserver(throwing));
            client.receiveData(fromServer("89 00")); // Ping: no Pong may follow the failure's Close
            byte[] sent = OpenProtocols.concat(client.dataToSend());
            assertEquals(
                    0x88,
                    sent[0] & 0xFF,
                    "only a Close was sent: " + HexFormat.of().formatHex(sent));
            assertEquals(CloseCodes.INTERNAL_ERROR, client.closeSent().code());
            assertEquals("observer bug", client.failureCause().getMessage());
        }

        @Test
        void onASentFrameFailsTheConnectionWith1011AfterTheFrame() {
            ServerProtocol server = OpenProtocols.server(builder -> builder.frameObserver(throwing));
            server.sendText(ByteBuffer.wrap(new byte[] {'x'}), true);
            assertEquals(ProtocolState.CLOSING, server.state());
            assertEquals(CloseCodes.INTERNAL_ERROR, server.closeSent().code());
            assertEquals("observer bug", server.failureCause().getMessage());
            List<ByteBuffer> output = server.dataToSend();
            assertEquals("81 01 78", Hex.encode(output.get(0))); // the text went out before the Close
            assertSame(Protocol.EOF, output.get(output.size() - 1));
        }
    }

    @Test
    void withoutAnObserverNothingIsObserved() {
        ClientProtocol client = OpenProtocols.client(builder -> builder);
        assertNull(client.frameObserver());
        client.receiveData(fromServer("89 00"));
        assertEquals(ProtocolState.OPEN, client.state());
    }
}
