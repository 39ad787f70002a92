package dev.wsflux.core;

/**
 * A base for implementations of {@link WebSocketSession}: wsflux's session engine, and test doubles of a
 * session. It gives a subclass what only a session needs of {@link Message}: messages made over an array
 * without a copy (for payloads the session received and validated), and the array of a message it writes
 * (never modified). Applications use {@link WebSocketSession} and the {@code Message} factories; they have
 * no use for this class.
 *
 * <p>Why a class and not a public method on {@code Message}: {@code Message} is immutable and owns its
 * bytes, and these methods would let any caller break that. Keeping them {@code protected} and static
 * confines them to session implementations.
 */
public abstract class AbstractWebSocketSession implements WebSocketSession {

    /** For subclasses. */
    protected AbstractWebSocketSession() {}

    /**
     * A text message over {@code utf8}, which the caller validated as UTF-8 and hands over: it is not copied
     * and must not be modified afterwards.
     *
     * @param utf8 the payload, valid UTF-8
     * @return the message
     */
    protected static Message wrapText(byte[] utf8) {
        return Message.wrapText(utf8);
    }

    /**
     * A binary message over {@code bytes}, which the caller hands over: it is not copied and must not be
     * modified afterwards.
     *
     * @param bytes the payload
     * @return the message
     */
    protected static Message wrapBinary(byte[] bytes) {
        return Message.wrapBinary(bytes);
    }

    /**
     * The payload array of {@code message} itself, not a copy, for writing it: the caller must not modify
     * it.
     *
     * @param message the message
     * @return its payload array
     */
    protected static byte[] payloadArray(Message message) {
        return message.array();
    }
}
