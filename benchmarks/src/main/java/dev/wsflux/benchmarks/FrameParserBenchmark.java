package dev.wsflux.benchmarks;

import dev.wsflux.protocol.codec.FrameParser;
import dev.wsflux.protocol.codec.FrameSerializer;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.frames.Opcode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
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
 * Parses masked client frames the way a server does, in two shapes:
 *
 * <ul>
 *   <li>{@link #parse}: {@value Pipelined#FRAMES} text frames of {@code payloadSize} bytes arrive in one
 *       heap buffer (small frames: the pipelined case; 64 KiB frames: one frame per read). The score is
 *       frames per microsecond; with {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated
 *       per frame.
 *   <li>{@link #parseOneMebibyteFrame}: one 1 MiB binary frame arrives in 64 KiB <em>direct</em> buffers,
 *       as Netty's socket reads deliver it (the end-to-end {@code bin1m} scenario). One operation is one
 *       payload byte and the unit is the microsecond, so the score reads as MB/s; with {@code -prof gc},
 *       {@code gc.alloc.rate.norm} is the bytes allocated per payload byte (1.0 is one 1 MiB array per
 *       frame, the least a parser that hands out a heap payload can do).
 * </ul>
 *
 * <p>Each benchmark thread has its own parser and buffers: nothing is shared between threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameParserBenchmark {
    /** The mask key of every frame (any key does; this is the one of RFC 6455 §5.7). */
    private static final int KEY = 0x37fa213d;

    /** A buffer holding {@value #FRAMES} masked text frames and a server-side parser. */
    @State(Scope.Thread)
    public static class Pipelined {
        /** Frames in the input buffer: a full read of small pipelined frames. */
        static final int FRAMES = 64;

        /** The payload of each frame: 32 bytes (a small chat or ticker message) or 64 KiB. */
        @Param({"32", "65536"})
        public int payloadSize;

        ByteBuffer wire;
        FrameParser parser;

        /**
         * Serializes {@value #FRAMES} masked text frames with ASCII payloads into one buffer.
         *
         * @param sink consumes the parsed frames
         */
        @Setup
        public void setUp(Blackhole sink) {
            FrameSerializer serializer = new FrameSerializer(true, MaskKeySource.fixed(KEY));
            byte[] text = Payloads.ascii(payloadSize);
            wire = ByteBuffer.allocate(FRAMES * (payloadSize + FrameSerializer.headerLength(payloadSize, true)));
            for (int i = 0; i < FRAMES; i++) {
                serializer.serializeTo(new Frame(Opcode.TEXT, ByteBuffer.wrap(text), true), wire);
            }
            wire.flip();
            parser = new FrameParser(true, 0, sink::consume);
        }
    }

    /** One masked 1 MiB binary frame cut into 64 KiB direct buffers, and a server-side parser. */
    @State(Scope.Thread)
    public static class OneMebibyte {
        /** The payload length: 1 MiB, the end-to-end {@code bin1m} scenario's message. */
        static final int LENGTH = 1024 * 1024; // 1 MiB

        /** The size of one socket read: 64 KiB, the largest read Netty's adaptive allocator makes by default. */
        static final int READ = 64 * 1024; // 64 KiB

        /**
         * Where the reads are cut: {@code payload} puts the 14-byte header in a read of its own and the
         * payload in sixteen 64 KiB reads; {@code wire} cuts the frame's 1 MiB + 14 bytes every 64 KiB, as a
         * continuous stream of frames would be (sixteen 64 KiB reads, the header in the first, then 14 bytes).
         */
        @Param({"payload", "wire"})
        public String cut;

        ByteBuffer[] reads;
        FrameParser parser;

        /**
         * Serializes the frame (pseudo-random printable bytes, masked) and copies it into direct buffers.
         *
         * @param sink consumes the parsed frame
         */
        @Setup
        public void setUp(Blackhole sink) {
            FrameSerializer serializer = new FrameSerializer(true, MaskKeySource.fixed(KEY));
            byte[] payload = Payloads.ascii(LENGTH);
            ByteBuffer wire = ByteBuffer.allocate(LENGTH + FrameSerializer.headerLength(LENGTH, true));
            serializer.serializeTo(new Frame(Opcode.BINARY, ByteBuffer.wrap(payload), true), wire);
            wire.flip();
            int header = wire.remaining() - LENGTH;
            List<ByteBuffer> pieces = new ArrayList<>();
            pieces.add(direct(wire, "payload".equals(cut) ? header : READ));
            while (wire.hasRemaining()) {
                pieces.add(direct(wire, Math.min(READ, wire.remaining())));
            }
            reads = pieces.toArray(new ByteBuffer[0]);
            parser = new FrameParser(true, 0, sink::consume);
        }

        /** The next {@code n} bytes of {@code wire} in a direct buffer of exactly that size. */
        private static ByteBuffer direct(ByteBuffer wire, int n) {
            ByteBuffer piece = wire.slice().limit(n);
            wire.position(wire.position() + n);
            return ByteBuffer.allocateDirect(n).put(piece).flip();
        }
    }

    /**
     * Feeds one buffer holding {@value Pipelined#FRAMES} frames; the score is frames per microsecond.
     *
     * @param state the input and the parser
     */
    @Benchmark
    @OperationsPerInvocation(Pipelined.FRAMES)
    public void parse(Pipelined state) {
        state.parser.feed(state.wire.duplicate());
    }

    /**
     * Feeds the reads of one 1 MiB frame; the score is payload bytes per microsecond, that is MB/s.
     *
     * @param state the reads and the parser
     */
    @Benchmark
    @OperationsPerInvocation(OneMebibyte.LENGTH)
    public void parseOneMebibyteFrame(OneMebibyte state) {
        for (ByteBuffer read : state.reads) {
            state.parser.feed(read);
            read.rewind(); // the limit stays at the end: the next invocation reads the same bytes
        }
    }
}
