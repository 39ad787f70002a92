package dev.wsflux.protocol.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MaskKeySourceTest {

    @Nested
    class SecureKeys { // RFC 6455 §5.3: keys "derived from a strong source of entropy"

        @Test
        void givesDifferentKeysAcrossManyRefillsOfItsBuffer() {
            MaskKeySource keys = MaskKeySource.secure();
            Set<Integer> seen = new HashSet<>();
            int count = 10 * 256; // ten refills of the 256-key buffer
            for (int i = 0; i < count; i++) {
                seen.add(keys.nextMaskKey());
            }
            // 2560 random 32-bit keys collide with probability below 1e-3; a broken buffer repeats 256 at a time.
            assertTrue(seen.size() >= count - 2, "distinct keys: " + seen.size());
        }

        @Test
        void usesEveryByteOfTheKey() {
            MaskKeySource keys = MaskKeySource.secure();
            int orOfAll = 0;
            int andOfAll = -1;
            for (int i = 0; i < 1000; i++) {
                int key = keys.nextMaskKey();
                orOfAll |= key;
                andOfAll &= key;
            }
            assertEquals(-1, orOfAll, "some bit was never 1");
            assertEquals(0, andOfAll, "some bit was never 0");
        }

        @Test
        void twoSourcesGiveDifferentKeys() {
            MaskKeySource first = MaskKeySource.secure();
            MaskKeySource second = MaskKeySource.secure();
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                seen.add(first.nextMaskKey());
                seen.add(second.nextMaskKey());
            }
            assertTrue(seen.size() >= 198, "distinct keys: " + seen.size());
        }

        @Test
        void canBeSharedBetweenThreadsWithoutHandingOutAKeyTwice() throws Exception {
            MaskKeySource keys = MaskKeySource.secure();
            int threads = 4;
            int perThread = 20_000;
            Callable<int[]> draw = () -> {
                int[] drawn = new int[perThread];
                for (int i = 0; i < perThread; i++) {
                    drawn[i] = keys.nextMaskKey();
                }
                return drawn;
            };
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<int[]>> results = pool.invokeAll(List.of(draw, draw, draw, draw));
                Set<Integer> seen = new HashSet<>();
                for (Future<int[]> result : results) {
                    for (int key : result.get()) {
                        seen.add(key);
                    }
                }
                // 80000 random keys collide 0.75 times on average; a race would hand out keys twice.
                assertTrue(seen.size() >= threads * perThread - 10, "distinct keys: " + seen.size());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    class FixedKeys {

        @Test
        void alwaysGivesTheSameKey() {
            MaskKeySource keys = MaskKeySource.fixed(0x37fa213d);
            for (int i = 0; i < 3; i++) {
                assertEquals(0x37fa213d, keys.nextMaskKey());
            }
        }

        @Test
        void acceptsZeroWhichLeavesPayloadsAsTheyAre() {
            assertEquals(0, MaskKeySource.fixed(0).nextMaskKey());
        }
    }

    @Nested
    class SeededKeys {

        @Test
        void givesTheRandomsIntsInOrder() {
            MaskKeySource keys = MaskKeySource.from(new Random(0));
            Random expected = new Random(0);
            for (int i = 0; i < 10; i++) {
                assertEquals(expected.nextInt(), keys.nextMaskKey());
            }
        }

        @Test
        void rejectsNullRandom() {
            assertThrows(NullPointerException.class, () -> MaskKeySource.from(null));
        }
    }
}
