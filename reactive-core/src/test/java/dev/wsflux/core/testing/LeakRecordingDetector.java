package dev.wsflux.core.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A Netty {@link ResourceLeakDetector} that records every leak it reports, so that {@link LeakCheckExtension}
 * can fail the build instead of leaving a log line nobody reads. Installed for every test JVM with
 * {@code -Dio.netty.customResourceLeakDetector=dev.wsflux.core.testing.LeakRecordingDetector} (the parent
 * pom's {@code wsflux.test.argLine}, with {@code -Dio.netty.leakDetection.level=paranoid}). Thread-safe.
 *
 * @param <T> the tracked resource type
 */
public final class LeakRecordingDetector<T> extends ResourceLeakDetector<T> {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static volatile boolean active;

    /** The constructor Netty's factory looks for. */
    public LeakRecordingDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
        active = true;
    }

    /** The older constructor Netty's factory also looks for. */
    public LeakRecordingDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        this(resourceType, samplingInterval);
    }

    /** Whether Netty created at least one detector of this class (the system property is in effect). */
    public static boolean isActive() {
        return active;
    }

    /** Returns and forgets the leaks recorded so far. */
    public static List<String> drainLeaks() {
        List<String> leaks = new ArrayList<>();
        String leak;
        while ((leak = LEAKS.poll()) != null) {
            leaks.add(leak);
        }
        return leaks;
    }

    @Override
    protected boolean needReport() {
        // Report even when the logger is not at ERROR level: the report is what fails the build.
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected.");
        super.reportUntracedLeak(resourceType);
    }
}
