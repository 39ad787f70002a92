package dev.wsflux.core.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeakRecordingDetectorTest {

    @Test
    void anUnreleasedBufferIsRecordedAsALeak() throws InterruptedException {
        leakOneBuffer();
        // Not a peer but the same rule: the build's argLine installs the detector; an IDE run may not.
        PeerTools.require(
                LeakRecordingDetector.isActive(),
                "the leak-recording detector (-Dio.netty.customResourceLeakDetector="
                        + LeakRecordingDetector.class.getName() + ")");
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
