package dev.wsflux.core.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class LeakRecordingDetectorTest {

    @Test
    void anUnreleasedBufferIsRecordedAsALeak() throws InterruptedException {
        leakOneBuffer();
        Assumptions.assumeTrue(
                LeakRecordingDetector.isActive(),
                "run with -Dio.netty.customResourceLeakDetector=" + LeakRecordingDetector.class.getName());
        LeakCheckExtension.provokeLeakReports();
        List<String> leaks = LeakRecordingDetector.drainLeaks();
        assertFalse(leaks.isEmpty(), "the leaked buffer was not reported");
        assertTrue(
                leaks.stream().allMatch(leak -> leak.startsWith("LEAK: ByteBuf.release() was not called")),
                leaks::toString);
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        leaked.writeInt(42);
    }
}
