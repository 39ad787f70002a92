package dev.wsflux.protocol.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class HexTest {

    @Test
    void decodesPairsIgnoringWhitespaceAndCase() {
        assertArrayEquals(new byte[] {(byte) 0x81, 0x05, 0x48, (byte) 0xFA}, Hex.decode(" 81 05\n48Fa "));
        assertArrayEquals(new byte[0], Hex.decode(""));
    }

    @Test
    void encodesLowerCasePairsSeparatedBySpacesWithoutMovingThePosition() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0x00, (byte) 0x81, 0x05, (byte) 0xFA})
                .position(1);
        assertEquals("81 05 fa", Hex.encode(buffer));
        assertEquals(1, buffer.position());
        assertEquals("", Hex.encode(new byte[0]));
    }

    @Test
    void roundTrips() {
        assertEquals("81 85 37 fa 21 3d", Hex.encode(Hex.buffer("81 85 37 fa 21 3d")));
    }

    @Test
    void rejectsAnOddNumberOfDigitsAndNonDigits() {
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("81 0"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("8g"));
    }
}
