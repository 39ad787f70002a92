package dev.wsflux.benchmarks;

import dev.wsflux.protocol.codec.Masker;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Masks 64 KiB in place, on a heap buffer and on a direct buffer (Netty's pooled buffers are direct),
 * and copies with masking between every pair of heap and direct buffers. One operation is one byte and the time unit is the nanosecond, so the score
 * reads directly as GB/s.
 *
 * <p>Per-thread state; the buffers are not shared.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class MaskerBenchmark {
    /** 64 KiB: a typical socket read. */
    static final int SIZE = 64 * 1024;

    private static final int KEY = 0x37fa213d;

    private ByteBuffer heap;
    private ByteBuffer direct;
    private ByteBuffer target;
    private ByteBuffer directTarget;

    /** Fills the buffers with ASCII text. */
    @Setup
    public void setUp() {
        byte[] bytes = Payloads.ascii(SIZE);
        heap = ByteBuffer.wrap(bytes.clone());
        direct = ByteBuffer.allocateDirect(SIZE).put(bytes).flip();
        target = ByteBuffer.allocate(SIZE);
        directTarget = ByteBuffer.allocateDirect(SIZE);
    }

    /** In place on a heap buffer; the score is GB/s. */
    @Benchmark
    @OperationsPerInvocation(SIZE)
    public int maskHeap() {
        return Masker.mask(heap, KEY, 1);
    }

    /** In place on a direct buffer; the score is GB/s. */
    @Benchmark
    @OperationsPerInvocation(SIZE)
    public int maskDirect() {
        return Masker.mask(direct, KEY, 1);
    }

    /** From a direct buffer into a heap buffer, as the parser unmasks a payload; the score is GB/s. */
    @Benchmark
    @OperationsPerInvocation(SIZE)
    public int maskCopyDirectToHeap() {
        target.clear();
        return Masker.maskCopy(direct.duplicate(), target, KEY, 1);
    }

    /** From a heap buffer into a heap buffer; the score is GB/s. */
    @Benchmark
    @OperationsPerInvocation(SIZE)
    public int maskCopyHeapToHeap() {
        target.clear();
        return Masker.maskCopy(heap.duplicate(), target, KEY, 1);
    }

    /** From a heap buffer into a direct buffer; the score is GB/s. */
    @Benchmark
    @OperationsPerInvocation(SIZE)
    public int maskCopyHeapToDirect() {
        directTarget.clear();
        return Masker.maskCopy(heap.duplicate(), directTarget, KEY, 1);
    }

    /** From a direct buffer into a direct buffer; the score is GB/s. */
    @Benchmark
    @OperationsPerInvocation(SIZE)
    public int maskCopyDirectToDirect() {
        directTarget.clear();
        return Masker.maskCopy(direct.duplicate(), directTarget, KEY, 1);
    }
}
