package dev.wsflux.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A complete WebSocket message, text or binary. Immutable; it owns its bytes.
 *
 * <p>Create one with {@link #text(String)} or {@link #binary(byte[])}. A text message keeps both
 * its UTF-8 bytes and, once asked for, its {@code String}. {@link #payload()} is a read-only view
 * that callers may consume freely. {@link #uncompressed()} marks a message to be sent without
 * permessage-deflate.
 */
public final class Message {
    private final boolean text;
    private final byte[] bytes;
    private final boolean compress;
    private String string;

    private Message(boolean text, byte[] bytes, String string, boolean compress) {
        this.text = text;
        this.bytes = bytes;
        this.string = string;
        this.compress = compress;
    }

    /** A text message. */
    public static Message text(String text) {
        Objects.requireNonNull(text, "text");
        return new Message(true, text.getBytes(StandardCharsets.UTF_8), text, true);
    }

    /** A binary message holding a copy of {@code bytes}. */
    public static Message binary(byte[] bytes) {
        return new Message(false, bytes.clone(), null, true);
    }

    /** A binary message holding a copy of {@code bytes}' remaining bytes (its position is not moved). */
    public static Message binary(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return new Message(false, copy, null, true);
    }

    /**
     * A text message from UTF-8 bytes that the caller promises are valid and will not modify again.
     * Used by the engine for received messages, whose bytes it validated.
     */
    static Message wrapText(byte[] utf8) {
        return new Message(true, utf8, null, true);
    }

    /** A binary message over {@code bytes}, which the caller hands over (no copy). */
    static Message wrapBinary(byte[] bytes) {
        return new Message(false, bytes, null, true);
    }

    /** Whether this is a text message. */
    public boolean isText() {
        return text;
    }

    /** Whether this is a binary message. */
    public boolean isBinary() {
        return !text;
    }

    /**
     * The text of a text message.
     *
     * @throws IllegalStateException for a binary message
     */
    public String text() {
        if (!text) {
            throw new IllegalStateException("binary message has no text; use payload()");
        }
        String value = string;
        if (value == null) {
            value = new String(bytes, StandardCharsets.UTF_8);
            string = value;
        }
        return value;
    }

    /** The payload (UTF-8 for text) as a read-only buffer at position 0. */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** A copy of the payload bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The payload length in bytes. */
    public int length() {
        return bytes.length;
    }

    /** Whether permessage-deflate may compress this message when sent (true unless {@link #uncompressed()}). */
    public boolean isCompressible() {
        return compress;
    }

    /** This message, to be sent without compression even when permessage-deflate is negotiated. */
    public Message uncompressed() {
        return compress ? new Message(text, bytes, string, false) : this;
    }

    /** The payload array itself, for the engine (never handed to users). */
    byte[] array() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Message that && text == that.text && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Boolean.hashCode(text) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        if (text) {
            String value = text();
            return "Message[text \"" + (value.length() > 72 ? value.substring(0, 72) + "…" : value) + "\"]";
        }
        return "Message[binary, " + bytes.length + " bytes]";
    }
}
