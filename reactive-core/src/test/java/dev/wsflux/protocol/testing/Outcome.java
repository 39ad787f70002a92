package dev.wsflux.protocol.testing;

import dev.wsflux.protocol.Protocol;
import dev.wsflux.protocol.ProtocolState;
import dev.wsflux.protocol.codec.FrameParser;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a protocol did with some input: the events it parsed, the frames it wrote, whether it wrote EOF,
 * its state and the close code of a failure. Equal outcomes for every split of the input prove that
 * chunking does not matter.
 *
 * @param events a description of each event (opcode, fin, payload hex)
 * @param sent a description of each frame written
 * @param eof whether EOF was written
 * @param state the state afterwards
 * @param failureCode the close code of the failure cause, or 0
 */
public record Outcome(List<String> events, List<String> sent, boolean eof, ProtocolState state, int failureCode) {

    /** Feeds {@code chunks} to a fresh protocol and records the outcome. */
    public static Outcome of(Supplier<? extends Protocol> factory, List<byte[]> chunks) {
        Protocol protocol = factory.get();
        List<Event> events = new ArrayList<>();
        List<ByteBuffer> output = new ArrayList<>();
        for (byte[] chunk : chunks) {
            protocol.receiveData(ByteBuffer.wrap(chunk));
            events.addAll(protocol.eventsReceived());
            output.addAll(protocol.dataToSend());
        }
        return of(protocol, events, output);
    }

    /** Records the outcome of events and output already collected from {@code protocol}. */
    public static Outcome of(Protocol protocol, List<Event> events, List<ByteBuffer> output) {
        List<String> eventTexts = new ArrayList<>();
        for (Event event : events) {
            eventTexts.add(
                    event instanceof Frame frame
                            ? describe(frame)
                            : event.getClass().getSimpleName());
        }
        boolean eof = !output.isEmpty() && output.get(output.size() - 1) == Protocol.EOF;
        List<String> sent = new ArrayList<>();
        FrameParser parser = new FrameParser(protocol.isClient(), 0, new FrameParser.Handler() {
            @Override
            public void onFrameHeader(FrameParser.FrameHeader header) {}

            @Override
            public void onPayloadChunk(FrameParser.FrameHeader header, ByteBuffer chunk) {}

            @Override
            public void onFrame(Frame frame) {
                sent.add(describe(frame));
            }
        });
        for (ByteBuffer buffer : output) {
            if (buffer != Protocol.EOF) {
                parser.feed(buffer.duplicate());
            }
        }
        int failureCode = protocol.failureCause() instanceof WebSocketProtocolException e ? e.closeCode() : 0;
        return new Outcome(eventTexts, sent, eof, protocol.state(), failureCode);
    }

    /** "TEXT fin 48656c6c6f". */
    public static String describe(Frame frame) {
        return frame.opcode() + (frame.fin() ? " fin " : " ") + HexFormat.of().formatHex(frame.payloadBytes());
    }

    /** The description of a Close frame with {@code code} and no reason. */
    public static String close(int code) {
        return describe(new Frame(Opcode.CLOSE, ByteBuffer.allocate(2).putShort(0, (short) code), true));
    }

    /** The close code of the first Close frame written, or -1. */
    public int sentCloseCode() {
        for (String frame : sent) {
            if (frame.startsWith("CLOSE")) {
                String hex = frame.substring(frame.lastIndexOf(' ') + 1);
                return hex.length() < 4 ? CloseCodes.NO_STATUS_RCVD : Integer.parseInt(hex.substring(0, 4), 16);
            }
        }
        return -1;
    }
}
