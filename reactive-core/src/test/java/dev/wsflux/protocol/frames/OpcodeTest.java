package dev.wsflux.protocol.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Frame opcodes (RFC 6455 §5.2). */
class OpcodeTest {

    @ParameterizedTest
    @EnumSource(Opcode.class)
    void eachOpcodeRoundTripsThroughItsWireValue(Opcode opcode) {
        assertSame(opcode, Opcode.fromCode(opcode.code()));
    }

    @Test
    void wireValuesAreTheOnesOfTheRfc() {
        assertEquals(0x0, Opcode.CONTINUATION.code());
        assertEquals(0x1, Opcode.TEXT.code());
        assertEquals(0x2, Opcode.BINARY.code());
        assertEquals(0x8, Opcode.CLOSE.code());
        assertEquals(0x9, Opcode.PING.code());
        assertEquals(0xA, Opcode.PONG.code());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedValuesHaveNoOpcode(int code) {
        // 5.2: "%x3-7 are reserved for further non-control frames", "%xB-F are reserved for further control frames"
        assertNull(Opcode.fromCode(code));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 16, 0x81, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void valuesOutsideFourBitsHaveNoOpcode(int code) {
        assertNull(Opcode.fromCode(code));
    }

    @ParameterizedTest
    @EnumSource(
            value = Opcode.class,
            names = {"CLOSE", "PING", "PONG"})
    void closePingAndPongAreControlFrames(Opcode opcode) {
        // 5.5: "Control frames are identified by opcodes where the most significant bit of the opcode is 1."
        assertTrue(opcode.isControl());
        assertFalse(opcode.isData());
    }

    @ParameterizedTest
    @EnumSource(
            value = Opcode.class,
            names = {"CONTINUATION", "TEXT", "BINARY"})
    void continuationTextAndBinaryAreDataFrames(Opcode opcode) {
        assertTrue(opcode.isData());
        assertFalse(opcode.isControl());
    }
}
