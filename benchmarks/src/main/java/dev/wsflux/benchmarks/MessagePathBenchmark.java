package dev.wsflux.benchmarks;

import dev.wsflux.protocol.ProtocolState;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.codec.FrameSerializer;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.http11.Request;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One echoed message through the Sans-I/O server, without a socket or Reactor: {@code receiveData} of a
 * masked text frame, {@code eventsReceived}, {@code sendText} of its payload, {@code dataToSend}. This
 * is the protocol's share of the end-to-end echo; run it with {@code -prof gc} to read the bytes the
 * protocol allocates per message ({@code gc.alloc.rate.norm}).
 *
 * <p>Per-thread state.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class MessagePathBenchmark {
    /** Payload size in bytes. */
    @Param({"32", "4096"})
    public int size;

    private ServerProtocol protocol;
    private ByteBuffer wire;

    /** Opens a server protocol (no extensions) and serializes one masked text frame. */
    @Setup
    public void setUp() {
        protocol = ServerProtocol.builder().build();
        protocol.receiveData(ByteBuffer.wrap(("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        Request request = (Request) protocol.eventsReceived().get(0);
        protocol.sendResponse(protocol.accept(request));
        protocol.dataToSend();
        if (protocol.state() != ProtocolState.OPEN) {
            throw new IllegalStateException("handshake failed: " + protocol.handshakeException());
        }
        wire = new FrameSerializer(true, MaskKeySource.fixed(0x37fa213d))
                .serialize(new Frame(Opcode.TEXT, ByteBuffer.wrap(Payloads.ascii(size)), true));
    }

    /** Receives one message and queues its echo; returns the bytes to write. */
    @Benchmark
    public List<ByteBuffer> echo() {
        protocol.receiveData(wire.duplicate());
        List<Event> events = protocol.eventsReceived();
        Frame frame = (Frame) events.get(0);
        protocol.sendText(frame.payload(), true);
        return protocol.dataToSend();
    }
}
