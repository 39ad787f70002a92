package dev.wsflux.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class WireFrameTest {

    @Test
    void encodesTheRfcExamples() {
        // RFC 6455 §5.7: unmasked "Hello" and masked "Hello" with key 37fa213d.
        assertEquals(
                "810548656c6c6f",
                Hex.encode(WireFrame.of(WireFrame.TEXT, CaseCatalogue.ascii("Hello"))
                        .encode(null)));
        assertEquals(
                "818537fa213d7f9f4d5158",
                Hex.encode(WireFrame.of(WireFrame.TEXT, CaseCatalogue.ascii("Hello"))
                        .encode(Hex.decode("37fa213d"))));
    }

    @Test
    void encodesReservedBitsAndOpcodes() {
        assertEquals("bb00", Hex.encode(new WireFrame(11, true, 3, new byte[0]).encode(null)));
        assertEquals("0100", Hex.encode(new WireFrame(1, false, 0, new byte[0]).encode(null)));
    }

    @Test
    void roundTripsEveryLengthEncoding() throws IOException {
        for (int length : new int[] {0, 125, 126, 65535, 65536}) {
            WireFrame frame = WireFrame.of(WireFrame.BINARY, CaseCatalogue.repeat((byte) 7, length));
            FrameReader.ReadFrame masked =
                    new FrameReader(new ByteArrayInputStream(frame.encode(Hex.decode("01020304")))).next();
            assertEquals(frame, masked.frame());
            assertTrue(masked.masked());
            FrameReader.ReadFrame plain = new FrameReader(new ByteArrayInputStream(frame.encode(null))).next();
            assertArrayEquals(frame.payload(), plain.frame().payload());
            assertFalse(plain.masked());
        }
    }

    @Test
    void readerReportsEndOfStream() throws IOException {
        assertNull(new FrameReader(new ByteArrayInputStream(new byte[0])).next());
        assertThrows(
                EOFException.class, () -> new FrameReader(new ByteArrayInputStream(Hex.decode("8105486565"))).next());
    }
}
