package dev.wsflux.protocol;

import static dev.wsflux.protocol.testing.OpenProtocols.MASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.wsflux.protocol.codec.FrameSerializer;
import dev.wsflux.protocol.extensions.ClientExtensionFactory;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.http11.ExtensionOffer;
import dev.wsflux.protocol.http11.WebSocketUri;
import dev.wsflux.protocol.testing.OpenProtocols;
import dev.wsflux.protocol.testing.Outcome;
import dev.wsflux.protocol.testing.Splits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** Helpers shared by the protocol's edge-case tests: hex and frame bytes, feeding every chunking, an extension that transforms. */
final class ProtocolFixtures {
    private ProtocolFixtures() {}

    static final WebSocketUri URI = WebSocketUri.parse("ws://server.example.com/chat");

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    static String hex(List<ByteBuffer> buffers) {
        return HexFormat.of().formatHex(OpenProtocols.concat(buffers));
    }

    static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Frames as a client sends them: masked with the RFC 6455 §5.7 example key. */
    static byte[] fromClient(Frame... frames) {
        FrameSerializer serializer = new FrameSerializer(true, MaskKeySource.fixed(MASK));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            ByteBuffer bytes = serializer.serialize(frame);
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        }
        return out.toByteArray();
    }

    static Frame close(int code, String reason) {
        return new Frame(Opcode.CLOSE, new CloseStatus(code, reason).toPayload(), true);
    }

    /**
     * Feeds {@code input} to a fresh protocol in every chunking, asserts that the outcome does not depend on
     * the chunking, runs {@code check} on each protocol afterwards and returns the outcome.
     */
    static <P extends Protocol> Outcome feed(Supplier<P> factory, byte[] input, Consumer<P> check) {
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

    static <P extends Protocol> Outcome feed(Supplier<P> factory, byte[] input) {
        return feed(factory, input, protocol -> {});
    }

    /** What the protocol produced since the output and events were last taken. */
    static Outcome drain(Protocol protocol) {
        return Outcome.of(protocol, protocol.eventsReceived(), protocol.dataToSend());
    }

    static int failureCode(Protocol protocol) {
        return ((WebSocketProtocolException) protocol.failureCause()).closeCode();
    }

    static long eofCount(List<ByteBuffer> output) {
        return output.stream().filter(buffer -> buffer == Protocol.EOF).count();
    }

    /**
     * A stand-in for a compressing extension on RSV1: it decodes data payloads with {@code decoder} (as
     * permessage-deflate inflates them) and records each frame it decodes with the size budget it was given.
     */
    static final class TransformingExtension implements Extension {
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
    static ClientProtocol clientWith(Extension extension, UnaryOperator<ClientProtocol.Builder> customize) {
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

    static TransformingExtension recordedBy(Protocol protocol) {
        return (TransformingExtension) protocol.extensions().get(0);
    }
}
