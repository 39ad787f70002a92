package dev.wsflux.benchmarks;

import dev.wsflux.protocol.codec.Utf8Validator;
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

/**
 * Validates 64 KiB of ASCII (the fast path: eight bytes per step) and of mixed-script UTF-8 (the DFA),
 * in heap and direct buffers. One operation is one byte and the unit is the nanosecond: the score reads
 * as GB/s.
 *
 * <p>Per-thread state.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class Utf8ValidatorBenchmark {
    /** 64 KiB of text. */
    static final int SIZE = 64 * 1024;

    /** The kind of text. */
    @Param({"ascii", "mixed"})
    public String text;

    private ByteBuffer heap;
    private ByteBuffer direct;
    private final Utf8Validator validator = new Utf8Validator();

    /** Builds exactly {@value #SIZE} bytes of the chosen text (mixed text is padded with spaces). */
    @Setup
    public void setUp() {
        byte[] bytes = new byte[SIZE];
        java.util.Arrays.fill(bytes, (byte) ' ');
        byte[] content = "ascii".equals(text) ? Payloads.ascii(SIZE) : Payloads.mixed(SIZE);
        System.arraycopy(content, 0, bytes, 0, content.length);
        heap = ByteBuffer.wrap(bytes);
        direct = ByteBuffer.allocateDirect(SIZE).put(bytes).flip();
        if (!Utf8Validator.isValid(heap)) {
            throw new IllegalStateException("benchmark input is not valid utf-8: " + text);
        }
    }

    /** Validates a heap buffer; the score is GB/s. */
    @Benchmark
    @OperationsPerInvocation(SIZE)
    public boolean validateHeap() {
        validator.reset();
        return validator.update(heap) && validator.isComplete();
    }

    /** Validates a direct buffer; the score is GB/s. */
    @Benchmark
    @OperationsPerInvocation(SIZE)
    public boolean validateDirect() {
        validator.reset();
        return validator.update(direct) && validator.isComplete();
    }
}
