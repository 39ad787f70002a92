package dev.wsflux.core.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran. Registered for every test class of
 * every module that depends on the core test-jar, through JUnit's extension auto-detection
 * ({@code junit-platform.properties} and {@code META-INF/services} in the test-jar).
 *
 * <p>Netty reports a leak only when it notices, during a later allocation, that a tracked buffer was
 * garbage-collected unreleased. So after each class this forces garbage collections and allocates a few
 * tracked buffers to give the detector its chance, then fails with the recorded reports.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    /** A few rounds: reference processing runs on its own thread after a collection. */
    private static final int ROUNDS = 5;

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        provokeLeakReports();
        List<String> leaks = LeakRecordingDetector.drainLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) in " + context.getDisplayName() + ":\n"
                    + String.join("\n", leaks));
        }
    }

    /** Collects garbage and allocates tracked buffers so that pending leaks get reported. */
    public static void provokeLeakReports() throws InterruptedException {
        for (int i = 0; i < ROUNDS; i++) {
            System.gc();
            Thread.sleep(10);
            for (int j = 0; j < 8; j++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(1);
                probe.release();
                ByteBuf heapProbe = PooledByteBufAllocator.DEFAULT.heapBuffer(1);
                heapProbe.release();
            }
        }
    }
}
