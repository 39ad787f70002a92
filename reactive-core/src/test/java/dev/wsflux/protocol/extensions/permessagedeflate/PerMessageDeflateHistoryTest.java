package dev.wsflux.protocol.extensions.permessagedeflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PerMessageDeflateHistoryTest {
    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String contents(PerMessageDeflateHistory history) {
        return new String(history.array(), 0, history.length(), StandardCharsets.US_ASCII);
    }

    @Test
    void allocatesNothingUntilTheFirstBytes() {
        PerMessageDeflateHistory history = new PerMessageDeflateHistory(8);
        history.append(ByteBuffer.allocate(0));
        assertEquals(0, history.length());
        assertNull(history.array());
    }

    @Test
    void keepsTheMostRecentBytesInOrder() {
        PerMessageDeflateHistory history = new PerMessageDeflateHistory(8);
        history.append(ascii("abc"));
        assertEquals("abc", contents(history));
        history.append(ascii("defg"));
        assertEquals("abcdefg", contents(history));
        history.append(ascii("hij"));
        assertEquals("cdefghij", contents(history));
        history.append(ascii("k"));
        assertEquals("defghijk", contents(history));
    }

    @Test
    void keepsTheEndOfAnInputLongerThanItsCapacity() {
        PerMessageDeflateHistory history = new PerMessageDeflateHistory(4);
        history.append(ascii("ab"));
        history.append(ascii("0123456789"));
        assertEquals("6789", contents(history));
        history.append(ascii("wxyz"));
        assertEquals("wxyz", contents(history));
    }

    @Test
    void readsFromThePositionWithoutMovingIt() {
        PerMessageDeflateHistory history = new PerMessageDeflateHistory(8);
        ByteBuffer input = ascii("xxabcd");
        input.position(2);
        history.append(input);
        assertEquals(2, input.position());
        assertEquals("abcd", contents(history));
        ByteBuffer longInput = ascii("__0123456789");
        longInput.position(2);
        history.append(longInput);
        assertEquals(2, longInput.position());
        assertEquals("23456789", contents(history));
    }

    @Test
    void forgetsEverythingWhenCleared() {
        PerMessageDeflateHistory history = new PerMessageDeflateHistory(8);
        history.append(ascii("abc"));
        history.clear();
        assertEquals(0, history.length());
        assertNull(history.array());
        history.append(ascii("d"));
        assertArrayEquals("d".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(history.array(), 1));
    }
}
