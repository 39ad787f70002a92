package dev.wsflux.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.testing.Hex;
import dev.wsflux.protocol.testing.Splits;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8ValidatorTest {

    /** Feeds {@code bytes} one at a time; returns the index of the first byte refused, or -1. */
    private static int firstRefusedIndex(byte[] bytes, boolean direct) {
        Utf8Validator validator = new Utf8Validator();
        for (int i = 0; i < bytes.length; i++) {
            ByteBuffer one = direct ? ByteBuffer.allocateDirect(1).put(bytes[i]).flip() : ByteBuffer.wrap(bytes, i, 1);
            if (!validator.update(one)) {
                return i;
            }
        }
        return -1;
    }

    /** Checks the whole input with heap and direct buffers, every split, and byte by byte. */
    private static void assertValidEverySplit(byte[] bytes) {
        for (Splits.Chunking chunking : Splits.of(bytes)) {
            Utf8Validator validator = new Utf8Validator();
            for (ByteBuffer chunk : chunking.chunks()) {
                assertTrue(validator.update(chunk), chunking.name());
            }
            assertTrue(validator.isComplete(), chunking.name());
        }
        assertTrue(Utf8Validator.isValid(ByteBuffer.wrap(bytes)), "heap");
        assertTrue(Utf8Validator.isValid(direct(bytes)), "direct");
        assertEquals(-1, firstRefusedIndex(bytes, false));
        assertEquals(-1, firstRefusedIndex(bytes, true));
    }

    /** Checks that the input is refused exactly at {@code index}, whichever way it is fed. */
    private static void assertRefusedAt(byte[] bytes, int index) {
        assertEquals(index, firstRefusedIndex(bytes, false), "heap, byte by byte");
        assertEquals(index, firstRefusedIndex(bytes, true), "direct, byte by byte");
        assertFalse(Utf8Validator.isValid(ByteBuffer.wrap(bytes)), "heap, whole");
        assertFalse(Utf8Validator.isValid(direct(bytes)), "direct, whole");
        for (Splits.Chunking chunking : Splits.of(bytes)) {
            Utf8Validator validator = new Utf8Validator();
            boolean accepted = true;
            for (ByteBuffer chunk : chunking.chunks()) {
                accepted &= validator.update(chunk);
            }
            assertFalse(accepted, chunking.name());
            assertFalse(validator.isComplete(), chunking.name());
        }
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The JDK's strict decoder: the oracle for exhaustive comparisons (reused: millions of calls). */
    private static final CharsetDecoder JDK_DECODER = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private static final CharBuffer JDK_OUTPUT = CharBuffer.allocate(16);

    private static boolean jdkAccepts(byte[] bytes) {
        JDK_DECODER.reset();
        JDK_OUTPUT.clear();
        ByteBuffer input = ByteBuffer.wrap(bytes);
        CoderResult result = JDK_DECODER.decode(input, JDK_OUTPUT, true);
        if (result.isError()) {
            return false;
        }
        assertFalse(result.isOverflow(), "output buffer too small for " + Hex.encode(bytes));
        return !JDK_DECODER.flush(JDK_OUTPUT).isError() && !input.hasRemaining();
    }

    @Nested
    class ValidText { // RFC 3629 §4; Autobahn 6.2 and 6.5

        @Test
        void acceptsKosme() {
            byte[] kosme = Hex.decode("ce ba e1 bd b9 cf 83 ce bc ce b5"); // "κόσμε", Autobahn 6.2.x
            assertEquals("\u03ba\u1f79\u03c3\u03bc\u03b5", new String(kosme, StandardCharsets.UTF_8)); // ό is U+1F79
            assertValidEverySplit(kosme);
        }

        @ParameterizedTest
        @CsvSource({
            "00, U+0000",
            "7f, U+007F: the last one-byte code point",
            "c2 80, U+0080: the first two-byte code point",
            "df bf, U+07FF: the last two-byte code point",
            "e0 a0 80, U+0800: the first three-byte code point",
            "ed 9f bf, U+D7FF: just below the surrogates",
            "ee 80 80, U+E000: just above the surrogates",
            "ef bf bd, U+FFFD: the replacement character",
            "ef bf bf, U+FFFF: the last three-byte code point",
            "f0 90 80 80, U+10000: the first four-byte code point",
            "f4 8f bf bf, U+10FFFF: the last code point",
        })
        void acceptsBoundaryCodePoints(String hex, String codePoint) {
            assertValidEverySplit(Hex.decode(hex));
        }

        @Test
        void acceptsAnEmptyMessage() {
            assertTrue(Utf8Validator.isValid(ByteBuffer.allocate(0)));
            Utf8Validator validator = new Utf8Validator();
            assertTrue(validator.isComplete());
        }

        @Test
        void acceptsAsciiOfEveryLengthAroundTheEightByteWord() {
            for (int length = 0; length <= 40; length++) {
                assertValidEverySplit(utf8("x".repeat(length)));
            }
        }

        @Test
        void acceptsMixedTextAroundLongAsciiRuns() {
            String ascii = "Hello, WebSocket world! ".repeat(3);
            assertValidEverySplit(utf8(ascii + "κόσμε" + ascii + "\uD83D\uDE00" + ascii + "é"));
        }

        @Test
        void agreesWithTheJdkOnRandomText() {
            Random random = new Random(0);
            for (int round = 0; round < 2000; round++) {
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(40);
                for (int i = 0; i < length; i++) {
                    int codePoint;
                    do {
                        codePoint = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x110000);
                    } while (codePoint >= 0xD800 && codePoint <= 0xDFFF);
                    text.appendCodePoint(codePoint);
                }
                byte[] bytes = utf8(text.toString());
                assertTrue(Utf8Validator.isValid(ByteBuffer.wrap(bytes)), Hex.encode(bytes));
                assertTrue(Utf8Validator.isValid(direct(bytes)), Hex.encode(bytes));
            }
        }

        @Test
        void doesNotMoveThePosition() {
            ByteBuffer text = ByteBuffer.wrap(utf8("κόσμε and more text"));
            Utf8Validator validator = new Utf8Validator();
            assertTrue(validator.update(text));
            assertEquals(0, text.position());
            assertTrue(Utf8Validator.isValid(text));
            assertEquals(0, text.position());
        }

        @Test
        void checksOnlyTheBytesBetweenPositionAndLimit() {
            byte[] bytes = Hex.decode("ff 41 42 43 44 45 46 47 48 49 ff");
            assertTrue(Utf8Validator.isValid(ByteBuffer.wrap(bytes, 1, 9)));
            assertTrue(Utf8Validator.isValid(
                    ByteBuffer.wrap(bytes).position(1).slice().limit(9)));
            assertTrue(Utf8Validator.isValid(direct(bytes).position(1).limit(10)));
        }
    }

    @Nested
    class InvalidText { // RFC 3629 §3 and §10; Autobahn 6.3, 6.6 to 6.21

        @ParameterizedTest
        @CsvSource({
            "80, 0, a lone continuation byte",
            "bf, 0, a lone continuation byte",
            "41 42 80, 2, a continuation byte after ASCII",
            "ce ba 80, 2, a continuation byte after a complete code point",
            "c0 af, 0, C0 only starts overlong forms",
            "c1 bf, 0, C1 only starts overlong forms",
            "e0 80 af, 1, an overlong three-byte form",
            "e0 9f bf, 1, the longest overlong three-byte form",
            "f0 80 80 af, 1, an overlong four-byte form",
            "f0 8f bf bf, 1, the longest overlong four-byte form",
            "ed a0 80, 1, the first surrogate U+D800",
            "ed bf bf, 1, the last surrogate U+DFFF",
            "ed a0 80 ed b0 80, 1, a surrogate pair",
            "f4 90 80 80, 1, U+110000 above the last code point",
            "f7 bf bf bf, 0, F7 would start code points above U+10FFFF",
            "f5, 0, F5",
            "f8 88 80 80 80, 0, a five-byte form",
            "fc 84 80 80 80 80, 0, a six-byte form",
            "fe, 0, FE",
            "ff, 0, FF",
            "c2 41, 1, a two-byte sequence cut by ASCII",
            "e1 80 41, 2, a three-byte sequence cut by ASCII",
            "f1 80 80 c2 80, 3, a four-byte sequence cut by a new lead byte",
            "ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64, 12, Autobahn 6.3.1 κόσμε then a surrogate",
        })
        void refusesAtTheFirstImpossibleByte(String hex, int index, String what) {
            assertRefusedAt(Hex.decode(hex), index);
        }

        @Test
        void refusesAtTheExactByteAfterALongAsciiRun() {
            for (int at = 0; at < 40; at++) {
                byte[] bytes = utf8("a".repeat(at) + "b".repeat(30));
                bytes[at] = (byte) 0xFF;
                assertRefusedAt(bytes, at);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"ce", "e1 80", "e1", "f0 90 80", "f4 8f bf", "ce ba e1 bd b9 cf 83 ce bc ce"})
        void acceptsATruncatedSequenceSoFarButReportsItIncomplete(String hex) {
            byte[] bytes = Hex.decode(hex);
            for (Splits.Chunking chunking : Splits.of(bytes)) {
                Utf8Validator validator = new Utf8Validator();
                for (ByteBuffer chunk : chunking.chunks()) {
                    assertTrue(validator.update(chunk), chunking.name());
                }
                assertFalse(validator.isComplete(), chunking.name());
            }
            assertFalse(Utf8Validator.isValid(ByteBuffer.wrap(bytes)));
        }

        @Test
        void staysInvalidAfterAnInvalidByteUntilReset() {
            Utf8Validator validator = new Utf8Validator();
            assertFalse(validator.update(Hex.buffer("ff")));
            assertFalse(validator.update(Hex.buffer("41")));
            assertFalse(validator.update(ByteBuffer.allocate(0)));
            assertFalse(validator.isComplete());
            validator.reset();
            assertTrue(validator.update(Hex.buffer("41")));
            assertTrue(validator.isComplete());
        }

        @Test
        void resetForgetsAPartialCodePoint() {
            Utf8Validator validator = new Utf8Validator();
            assertTrue(validator.update(Hex.buffer("e1 80")));
            validator.reset();
            assertTrue(validator.isComplete());
            assertFalse(
                    validator.update(Hex.buffer("80")), "a continuation byte must not complete the forgotten E1 80");
        }
    }

    @Nested
    class AgainstTheJdkDecoder { // the JDK's UTF-8 decoder is strict since JDK 8

        @Test
        void agreesOnEveryOneAndTwoByteSequence() {
            for (int first = 0; first < 256; first++) {
                byte[] one = {(byte) first};
                assertEquals(jdkAccepts(one), Utf8Validator.isValid(ByteBuffer.wrap(one)), Hex.encode(one));
                for (int second = 0; second < 256; second++) {
                    byte[] two = {(byte) first, (byte) second};
                    assertEquals(jdkAccepts(two), Utf8Validator.isValid(ByteBuffer.wrap(two)), () -> Hex.encode(two));
                }
            }
        }

        @Test
        void agreesOnEveryThreeByteSequenceWithAMultiByteLead() {
            byte[] three = new byte[3];
            for (int first = 0xC0; first < 256; first++) {
                for (int second = 0x70; second < 0xD0; second++) {
                    for (int third = 0x70; third < 0xD0; third++) {
                        three[0] = (byte) first;
                        three[1] = (byte) second;
                        three[2] = (byte) third;
                        assertEquals(
                                jdkAccepts(three),
                                Utf8Validator.isValid(ByteBuffer.wrap(three)),
                                () -> Hex.encode(three));
                    }
                }
            }
        }

        @Test
        void agreesOnRandomFourByteSequencesWithAFourByteLead() {
            Random random = new Random(5);
            byte[] four = new byte[4];
            for (int round = 0; round < 200_000; round++) {
                four[0] = (byte) (0xF0 + random.nextInt(16));
                for (int i = 1; i < 4; i++) {
                    four[i] = (byte) (0x70 + random.nextInt(0x60));
                }
                assertEquals(jdkAccepts(four), Utf8Validator.isValid(ByteBuffer.wrap(four)), () -> Hex.encode(four));
            }
        }
    }
}
