/*
 * The validator is a deterministic finite automaton after Bjoern Hoehrmann's "Flexible and Economical
 * UTF-8 Decoder" (http://bjoern.hoehrmann.de/utf-8/decoder/dfa/): bytes are mapped to a few character
 * classes, and a transition table indexed by (state + class) gives the next state, with states
 * pre-multiplied by the number of classes so that a step is one add and two array reads. The classes and
 * transitions below are our own, derived in code from the UTF-8 grammar of RFC 3629 §4 rather than
 * copied as a table of numbers.
 */
package dev.wsflux.protocol.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An incremental, fail-fast UTF-8 validator for text messages
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-8.1">RFC 6455 §8.1</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc3629#section-4">RFC 3629 §4</a>).
 *
 * <p>RFC 6455 §8.1: "When an endpoint is to interpret a byte stream as UTF-8 but finds that the byte
 * stream is not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the WebSocket Connection_."
 * Feed a message's payload as it arrives, in any pieces (a code point may span frames);
 * {@link #update(ByteBuffer)} returns {@code false} at the first byte that no continuation could make
 * valid: a stray continuation byte, {@code C0}/{@code C1}/{@code F5}–{@code FF}, an overlong form
 * ({@code E0 80}, {@code F0 80}), a surrogate ({@code ED A0}) or a code point above U+10FFFF
 * ({@code F4 90}). At the end of the message {@link #isComplete()} tells whether a code point was cut
 * short. Runs of ASCII are checked eight bytes at a time.
 *
 * <p>Not thread-safe: one instance per connection (or per message).
 */
public final class Utf8Validator {

    // Character classes: the byte ranges of RFC 3629 §4 that behave differently.
    private static final int ASCII = 0; //          00..7F
    private static final int TAIL_80_8F = 1; //     80..8F  continuation bytes, split by what may follow
    private static final int TAIL_90_9F = 2; //     90..9F  E0, ED, F0 and F4
    private static final int TAIL_A0_BF = 3; //     A0..BF
    private static final int NEVER = 4; //          C0 C1 F5..FF: never appear in UTF-8
    private static final int LEAD_2 = 5; //         C2..DF  two-byte sequence
    private static final int LEAD_E0 = 6; //        E0      then A0..BF (no overlongs)
    private static final int LEAD_3 = 7; //         E1..EC EE EF
    private static final int LEAD_ED = 8; //        ED      then 80..9F (no surrogates)
    private static final int LEAD_F0 = 9; //        F0      then 90..BF (no overlongs)
    private static final int LEAD_4 = 10; //        F1..F3
    private static final int LEAD_F4 = 11; //       F4      then 80..8F (nothing above U+10FFFF)
    private static final int CLASSES = 12;

    // States, pre-multiplied by CLASSES so that TRANSITIONS[state + class] is the next state.
    private static final int ACCEPT = 0; //                 between code points
    private static final int REJECT = CLASSES; //           invalid, for good
    private static final int NEED_1 = 2 * CLASSES; //       one more continuation byte
    private static final int NEED_2 = 3 * CLASSES; //       two more
    private static final int NEED_3 = 4 * CLASSES; //       three more
    private static final int AFTER_E0 = 5 * CLASSES; //     A0..BF, then one more
    private static final int AFTER_ED = 6 * CLASSES; //     80..9F, then one more
    private static final int AFTER_F0 = 7 * CLASSES; //     90..BF, then two more
    private static final int AFTER_F4 = 8 * CLASSES; //     80..8F, then two more
    private static final int STATES = 9;

    private static final byte[] CLASS_OF = new byte[256];
    private static final byte[] TRANSITIONS = new byte[STATES * CLASSES];

    /** Eight bytes are all ASCII when none has its high bit set. */
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN)
            .withInvokeExactBehavior();

    static {
        classify(0x00, 0x7F, ASCII);
        classify(0x80, 0x8F, TAIL_80_8F);
        classify(0x90, 0x9F, TAIL_90_9F);
        classify(0xA0, 0xBF, TAIL_A0_BF);
        classify(0xC0, 0xC1, NEVER);
        classify(0xC2, 0xDF, LEAD_2);
        classify(0xE0, 0xE0, LEAD_E0);
        classify(0xE1, 0xEC, LEAD_3);
        classify(0xED, 0xED, LEAD_ED);
        classify(0xEE, 0xEF, LEAD_3);
        classify(0xF0, 0xF0, LEAD_F0);
        classify(0xF1, 0xF3, LEAD_4);
        classify(0xF4, 0xF4, LEAD_F4);
        classify(0xF5, 0xFF, NEVER);

        Arrays.fill(TRANSITIONS, (byte) REJECT);
        // UTF8-char = UTF8-1 / UTF8-2 / UTF8-3 / UTF8-4
        allow(ACCEPT, ASCII, ACCEPT); //        UTF8-1 = %x00-7F
        allow(ACCEPT, LEAD_2, NEED_1); //       UTF8-2 = %xC2-DF UTF8-tail
        allow(ACCEPT, LEAD_E0, AFTER_E0); //    UTF8-3 = %xE0 %xA0-BF UTF8-tail
        allow(ACCEPT, LEAD_3, NEED_2); //             / %xE1-EC 2( UTF8-tail ) / %xEE-EF 2( UTF8-tail )
        allow(ACCEPT, LEAD_ED, AFTER_ED); //          / %xED %x80-9F UTF8-tail
        allow(ACCEPT, LEAD_F0, AFTER_F0); //    UTF8-4 = %xF0 %x90-BF 2( UTF8-tail )
        allow(ACCEPT, LEAD_4, NEED_3); //             / %xF1-F3 3( UTF8-tail )
        allow(ACCEPT, LEAD_F4, AFTER_F4); //          / %xF4 %x80-8F 2( UTF8-tail )
        for (int tail : new int[] {TAIL_80_8F, TAIL_90_9F, TAIL_A0_BF}) { // UTF8-tail = %x80-BF
            allow(NEED_1, tail, ACCEPT);
            allow(NEED_2, tail, NEED_1);
            allow(NEED_3, tail, NEED_2);
        }
        allow(AFTER_E0, TAIL_A0_BF, NEED_1);
        allow(AFTER_ED, TAIL_80_8F, NEED_1);
        allow(AFTER_ED, TAIL_90_9F, NEED_1);
        allow(AFTER_F0, TAIL_90_9F, NEED_2);
        allow(AFTER_F0, TAIL_A0_BF, NEED_2);
        allow(AFTER_F4, TAIL_80_8F, NEED_2);
    }

    private int state = ACCEPT;

    /** Creates a validator at the start of a message. */
    public Utf8Validator() {}

    private static void classify(int first, int last, int characterClass) {
        for (int b = first; b <= last; b++) {
            CLASS_OF[b] = (byte) characterClass;
        }
    }

    private static void allow(int from, int characterClass, int to) {
        TRANSITIONS[from + characterClass] = (byte) to;
    }

    private static int next(int state, byte b) {
        return TRANSITIONS[state + CLASS_OF[b & 0xFF]];
    }

    /**
     * Feeds bytes {@code [position, limit)} of {@code bytes}; the position does not move.
     *
     * @param bytes the next piece of the message, of any length
     * @return {@code false} as soon as the bytes seen so far cannot be the start of valid UTF-8, and on
     *     every call after that; {@code true} otherwise (a code point may still be incomplete: see
     *     {@link #isComplete()})
     */
    public boolean update(ByteBuffer bytes) {
        if (state == REJECT) {
            return false;
        }
        if (bytes.hasArray()) {
            int base = bytes.arrayOffset();
            state = run(bytes.array(), base + bytes.position(), base + bytes.limit(), state);
        } else {
            state = run(bytes, bytes.position(), bytes.limit(), state);
        }
        return state != REJECT;
    }

    private static int run(byte[] bytes, int from, int to, int start) {
        int s = start;
        int i = from;
        while (i < to) {
            if (s == ACCEPT) {
                while (i <= to - Long.BYTES && ((long) LONG.get(bytes, i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
                if (i == to) {
                    break;
                }
            }
            s = next(s, bytes[i++]);
            if (s == REJECT) {
                break;
            }
        }
        return s;
    }

    private static int run(ByteBuffer bytes, int from, int to, int start) {
        int s = start;
        int i = from;
        while (i < to) {
            if (s == ACCEPT) {
                // The byte order does not matter: all eight high bits are tested.
                while (i <= to - Long.BYTES && (bytes.getLong(i) & HIGH_BITS) == 0) {
                    i += Long.BYTES;
                }
                if (i == to) {
                    break;
                }
            }
            s = next(s, bytes.get(i++));
            if (s == REJECT) {
                break;
            }
        }
        return s;
    }

    /**
     * Returns whether the bytes fed so far end between code points, which a message must
     * ({@code false} after an invalid byte too).
     *
     * @return {@code true} when the input so far is complete, valid UTF-8
     */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Forgets all input, ready for a new message (also after an invalid byte). */
    public void reset() {
        state = ACCEPT;
    }

    /**
     * Checks a whole message at once.
     *
     * @param bytes the message; bytes {@code [position, limit)} are checked and the position does not move
     * @return {@code true} when the bytes are complete, valid UTF-8
     */
    public static boolean isValid(ByteBuffer bytes) {
        Utf8Validator validator = new Utf8Validator();
        return validator.update(bytes) && validator.isComplete();
    }
}
