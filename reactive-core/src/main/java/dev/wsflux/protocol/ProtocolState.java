package dev.wsflux.protocol;

/**
 * The lifecycle of a WebSocket connection.
 *
 * <p>See <a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.1">RFC 6455 §4.1</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.2">§4.2</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc6455#section-7.1.3">§7.1.3</a> and
 * <a href="https://www.rfc-editor.org/rfc/rfc6455#section-7.1.4">§7.1.4</a>.
 */
public enum ProtocolState {
    /** The opening handshake is in progress. */
    CONNECTING,
    /** The opening handshake succeeded; data frames may flow both ways. */
    OPEN,
    /** A Close frame was sent or received: the closing handshake is in progress. */
    CLOSING,
    /** The TCP connection is closed, or should be. */
    CLOSED
}
