package dev.wsflux.benchmarks;

import dev.wsflux.protocol.Frame;
import dev.wsflux.protocol.FrameParser;
import dev.wsflux.protocol.FrameSerializer;
import dev.wsflux.protocol.MaskKeySource;
import dev.wsflux.protocol.Opcode;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parses masked client frames the way a server does: {@value #FRAMES} frames of {@code payloadSize} bytes
 * arrive in one socket read (small frames: the pipelined case), or one 64 KiB frame per read. The score is
 * frames per microsecond; {@code -prof gc} gives the bytes allocated per frame ({@code gc.alloc.rate.norm}
 * divided by nothing: the operation is one frame).
 *
 * <p>Each invocation uses its own parser, its own state: not shared between threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class FrameParserBenchmark {
    /** Frames in the input buffer: a full read of small pipelined frames. */
    static final int FRAMES = 64;

    /** The payload of each frame: 32 bytes (a small chat or ticker message) or 64 KiB. */
    @Param({"32", "65536"})
    public int payloadSize;

    private ByteBuffer wire;
    private FrameParser parser;
    private Blackhole sink;

    /** Serializes {@value #FRAMES} masked text frames with ASCII payloads into one buffer. */
    @Setup
    public void setUp(Blackhole blackhole) {
        FrameSerializer serializer = new FrameSerializer(true, MaskKeySource.fixed(0x37fa213d));
        byte[] text = Payloads.ascii(payloadSize);
        wire = ByteBuffer.allocate(FRAMES * (payloadSize + FrameSerializer.headerLength(payloadSize, true)));
        for (int i = 0; i < FRAMES; i++) {
            serializer.serializeTo(new Frame(Opcode.TEXT, ByteBuffer.wrap(text), true), wire);
        }
        wire.flip();
        sink = blackhole;
        parser = new FrameParser(true, 0, this::onFrame);
    }

    private void onFrame(Frame frame) {
        sink.consume(frame);
    }

    /** Feeds one buffer holding {@value #FRAMES} frames; the score is per frame. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public void parse() {
        parser.feed(wire.duplicate());
    }
}
