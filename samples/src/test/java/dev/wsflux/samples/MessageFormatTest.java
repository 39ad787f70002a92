package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.wsflux.core.Message;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MessageFormatTest {
    @Test
    void plainTextIsPrintedAsIs() {
        String text = "Grüße, 世界 ✓";
        assertSame(text, MessageFormat.escape(text));
    }

    @Test
    void controlCharactersAreEscapedSoThePeerCannotDriveTheTerminal() {
        // ESC [ 3 1 m would turn the terminal red; C1 CSI (U+009B) likewise.
        assertEquals(
                "a\\nb\\rc\\td\\\\e\\x1b[31m\\x7f\\u009b", MessageFormat.escape("a\nb\rc\td\\e\u001b[31m\u007f\u009b"));
    }

    @Test
    void binaryIsLowerCaseHexOfTheRemainingBytes() {
        ByteBuffer bytes = ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x00, 0x0a, 0x7f});
        bytes.position(1);
        assertEquals("000a7f", MessageFormat.hex(bytes));
        assertEquals(1, bytes.position());
    }

    @Test
    void opcodeComesFirstUnderVerbose() {
        assertEquals("text: hi\\n", MessageFormat.withOpcode(Message.text("hi\n")));
        assertEquals("binary: 0102", MessageFormat.withOpcode(Message.binary(new byte[] {1, 2})));
    }
}
