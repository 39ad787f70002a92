package dev.wsflux.protocol.frames;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Random;

/**
 * A source of 32-bit masking keys for frames sent by a client
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.3">RFC 6455 §5.3</a>).
 *
 * <p>A key is used as four bytes in network order: key {@code 0x37fa213d} masks with the bytes
 * {@code 37 fa 21 3d}. Production code uses {@link #secure()}; {@link #fixed(int)} and {@link #from(Random)}
 * exist for tests and for users who need reproducible masks (websocket-client's {@code set_mask_key}).
 * The implementations returned by the factories are thread-safe as documented on each factory.
 */
@FunctionalInterface
public interface MaskKeySource {

    /**
     * Returns the key for the next frame.
     *
     * @return a 32-bit masking key, most significant byte first on the wire
     */
    int nextMaskKey();

    /**
     * Returns a source of keys from a {@link SecureRandom}, drawn 1 KiB (256 keys) at a time so that each
     * key costs an array read rather than a call into the random generator.
     *
     * <p>RFC 6455 §5.3: "The masking key needs to be unpredictable; thus, the masking key MUST be derived
     * from a strong source of entropy, and the masking key for a given frame MUST NOT make it simple for a
     * server or proxy to predict the masking key for a subsequent frame."
     *
     * <p>The returned source is thread-safe (its method is {@code synchronized}), so one instance may be
     * shared by many connections; creating one per connection avoids even uncontended locking.
     *
     * @return a new source backed by its own {@link SecureRandom}
     */
    static MaskKeySource secure() {
        return new SecureMaskKeySource(new SecureRandom());
    }

    /**
     * Returns a source that always gives {@code key}. Only for tests and for peers that must be
     * reproduced byte for byte: a fixed key defeats the purpose of masking. Thread-safe.
     *
     * @param key the key every frame uses
     * @return a source of {@code key}
     */
    static MaskKeySource fixed(int key) {
        return () -> key;
    }

    /**
     * Returns a source that takes each key from {@code random.nextInt()}, for seeded tests such as
     * {@code MaskKeySource.from(new Random(0))}. As thread-safe as {@code random} ({@link Random} is).
     *
     * @param random the generator to draw keys from
     * @return a source backed by {@code random}
     */
    static MaskKeySource from(Random random) {
        Objects.requireNonNull(random, "random");
        return random::nextInt;
    }
}

/** The buffered {@link SecureRandom} source behind {@link MaskKeySource#secure()}. */
final class SecureMaskKeySource implements MaskKeySource {
    /** 256 keys of 4 bytes: one {@code nextBytes} call per 256 frames. */
    private static final int KEYS_PER_REFILL = 256;

    private final SecureRandom random;
    private final byte[] bytes = new byte[KEYS_PER_REFILL * Integer.BYTES]; // 1 KiB
    /** Index of the next unused byte; starts at the end so that the first call fills the buffer. */
    private int next = bytes.length;

    SecureMaskKeySource(SecureRandom random) {
        this.random = random;
    }

    @Override
    public synchronized int nextMaskKey() {
        if (next == bytes.length) {
            random.nextBytes(bytes);
            next = 0;
        }
        int key = (bytes[next] & 0xff) << 24
                | (bytes[next + 1] & 0xff) << 16
                | (bytes[next + 2] & 0xff) << 8
                | (bytes[next + 3] & 0xff);
        next += Integer.BYTES;
        return key;
    }
}
