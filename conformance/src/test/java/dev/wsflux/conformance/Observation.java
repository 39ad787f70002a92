package dev.wsflux.conformance;

import java.util.Arrays;

/**
 * Something the testee sent that a case's expectations are about: a whole text or binary message, or a
 * pong. Immutable (callers must not modify the payload).
 *
 * @param kind what it was
 * @param payload the message payload (after decompression) or the pong's application data
 */
public record Observation(Kind kind, byte[] payload) {

    /** What the testee sent. */
    public enum Kind {
        /** A whole text message. */
        TEXT,
        /** A whole binary message. */
        BINARY,
        /** A pong frame. */
        PONG
    }

    /** A text message. */
    public static Observation text(byte[] payload) {
        return new Observation(Kind.TEXT, payload);
    }

    /** A binary message. */
    public static Observation binary(byte[] payload) {
        return new Observation(Kind.BINARY, payload);
    }

    /** A pong. */
    public static Observation pong(byte[] payload) {
        return new Observation(Kind.PONG, payload);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Observation that && kind == that.kind && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return kind + " len=" + payload.length + " " + Hex.preview(payload);
    }
}
