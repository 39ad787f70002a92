package dev.wsflux.protocol.extensions.permessagedeflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PerMessageDeflateOptionsTest {
    @Nested
    class Defaults {
        @Test
        void clientDefaultsOfferEverythingWithAFullWindow() {
            PerMessageDeflateOptions options = PerMessageDeflateOptions.clientDefaults();
            assertEquals(new PerMessageDeflateOptions(6, 128, false, false, 15, 15), options);
            assertEquals(options, PerMessageDeflateOptions.builder().build());
        }

        @Test
        void serverDefaultsUseTwelveBitWindowsBothWays() {
            assertEquals(
                    new PerMessageDeflateOptions(6, 128, false, false, 12, 12),
                    PerMessageDeflateOptions.serverDefaults());
        }
    }

    @Nested
    class Building {
        @Test
        void setsEveryValue() {
            PerMessageDeflateOptions options = PerMessageDeflateOptions.builder()
                    .compressionLevel(1)
                    .compressionThreshold(0)
                    .serverNoContextTakeover(true)
                    .clientNoContextTakeover(true)
                    .serverMaxWindowBits(9)
                    .clientMaxWindowBits(null)
                    .build();
            assertEquals(new PerMessageDeflateOptions(1, 0, true, true, 9, null), options);
            assertNull(options.clientMaxWindowBits());
            assertEquals(options, options.toBuilder().build());
            assertEquals(8, options.toBuilder().clientMaxWindowBits(8).build().clientMaxWindowBits());
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 10})
        void refusesALevelOutOfRange(int level) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> PerMessageDeflateOptions.builder()
                            .compressionLevel(level)
                            .build());
            assertEquals("compression level out of range 0 to 9: " + level, e.getMessage());
        }

        @Test
        void refusesANegativeThreshold() {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> PerMessageDeflateOptions.builder()
                            .compressionThreshold(-1)
                            .build());
            assertEquals("negative compression threshold: -1", e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(ints = {7, 16})
        void refusesWindowsOutOfRange(int bits) {
            IllegalArgumentException server =
                    assertThrows(IllegalArgumentException.class, () -> PerMessageDeflateOptions.builder()
                            .serverMaxWindowBits(bits)
                            .build());
            assertEquals("serverMaxWindowBits out of range 8 to 15: " + bits, server.getMessage());
            IllegalArgumentException client =
                    assertThrows(IllegalArgumentException.class, () -> PerMessageDeflateOptions.builder()
                            .clientMaxWindowBits(bits)
                            .build());
            assertEquals("clientMaxWindowBits out of range 8 to 15: " + bits, client.getMessage());
        }
    }
}
