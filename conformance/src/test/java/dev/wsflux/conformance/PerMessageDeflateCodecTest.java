package dev.wsflux.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.zip.DataFormatException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PerMessageDeflateCodecTest {

    private static final byte[] HELLO = CaseCatalogue.ascii("Hello");

    @Nested
    class Rfc7692Examples {
        @Test
        void decompressesTheRfcExampleHello() throws DataFormatException {
            PerMessageDeflateCodec codec = new PerMessageDeflateCodec(15, false, false);
            assertArrayEquals(HELLO, codec.decompress(Hex.decode("f248cdc9c90700"))); // §7.2.3.1 "Hello"
        }

        @Test
        void decompressesTheRfcExampleWithContextTakeover() throws DataFormatException {
            PerMessageDeflateCodec codec = new PerMessageDeflateCodec(15, false, false);
            assertArrayEquals(HELLO, codec.decompress(Hex.decode("f248cdc9c90700")));
            assertArrayEquals(HELLO, codec.decompress(Hex.decode("f200110000"))); // §7.2.3.2 back-reference
        }

        @Test
        void decompressesAStreamEndedWithBfinal() throws DataFormatException {
            PerMessageDeflateCodec codec = new PerMessageDeflateCodec(15, false, false);
            assertArrayEquals(HELLO, codec.decompress(Hex.decode("f348cdc9c90700"))); // BFINAL = 1
            assertArrayEquals(HELLO, codec.decompress(Hex.decode("f248cdc9c90700")));
        }

        @Test
        void compressesAnEmptyMessageToOneZeroOctet() {
            PerMessageDeflateCodec codec = new PerMessageDeflateCodec(15, false, false);
            assertArrayEquals(new byte[] {0x00}, codec.compress(new byte[0])); // §7.2.3.6
        }
    }

    @Nested
    class RoundTrips {
        @Test
        void roundTripsWithContextTakeover() throws DataFormatException {
            roundTrip(15, false);
        }

        @Test
        void roundTripsWithoutContextTakeover() throws DataFormatException {
            roundTrip(15, true);
        }

        @Test
        void smallWindowsCompressWithinTheWindow() throws DataFormatException {
            byte[] repetitive = CaseCatalogue.repeat((byte) 'a', 4096);
            byte[] compressed = new PerMessageDeflateCodec(9, false, false).compress(repetitive);
            assertTrue(compressed.length < 100, "length " + compressed.length);
            assertArrayEquals(repetitive, new PerMessageDeflateCodec(15, false, false).decompress(compressed));
            roundTrip(9, false);
            roundTrip(9, true);
            roundTrip(12, false);
        }

        @Test
        void smallWindowsNeverReachBeyondTheWindow() throws DataFormatException {
            // A 600-byte random block repeated: with a 512-byte window it cannot be referenced, with 1024 it is.
            byte[] block = new byte[600];
            new Random(3).nextBytes(block);
            byte[] twice = CaseCatalogue.concat(block, block);
            byte[] small = new PerMessageDeflateCodec(9, false, false).compress(twice);
            byte[] large = new PerMessageDeflateCodec(10, false, false).compress(twice);
            assertTrue(small.length > 1100, "window 9: " + small.length);
            assertTrue(large.length < 800, "window 10: " + large.length);
            assertArrayEquals(twice, new PerMessageDeflateCodec(15, false, false).decompress(small));
        }

        @Test
        void smallWindowsReferenceEarlierMessagesWithContextTakeover() throws DataFormatException {
            byte[] message = CaseCatalogue.ascii("a message long enough to be worth a back-reference");
            PerMessageDeflateCodec sender = new PerMessageDeflateCodec(9, false, false);
            PerMessageDeflateCodec receiver = new PerMessageDeflateCodec(15, false, false);
            byte[] first = sender.compress(message);
            byte[] second = sender.compress(message);
            assertTrue(second.length < first.length / 3, first.length + " then " + second.length);
            assertArrayEquals(message, receiver.decompress(first));
            assertArrayEquals(message, receiver.decompress(second));
        }

        private void roundTrip(int bits, boolean noContext) throws DataFormatException {
            PerMessageDeflateCodec sender = new PerMessageDeflateCodec(bits, noContext, false);
            PerMessageDeflateCodec receiver = new PerMessageDeflateCodec(15, false, noContext);
            Random random = new Random(7);
            Datasets.Corpus json = Datasets.json();
            for (int i = 0; i < 50; i++) {
                byte[] message = Datasets.slice(json, i, 1 + random.nextInt(20_000));
                assertArrayEquals(message, receiver.decompress(sender.compress(message)));
            }
        }
    }

    @Test
    void rejectsGarbage() {
        PerMessageDeflateCodec codec = new PerMessageDeflateCodec(15, false, false);
        assertThrows(DataFormatException.class, () -> codec.decompress(Hex.decode("ffffffff")));
    }

    @Test
    void rejectsWindowBitsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new PerMessageDeflateCodec(7, false, false));
        assertThrows(IllegalArgumentException.class, () -> new PerMessageDeflateCodec(16, false, false));
    }
}
