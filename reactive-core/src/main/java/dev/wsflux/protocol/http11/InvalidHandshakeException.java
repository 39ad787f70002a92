package dev.wsflux.protocol.http11;

import dev.wsflux.protocol.frames.WebSocketException;

/** The opening handshake failed; subclasses say why. */
public class InvalidHandshakeException extends WebSocketException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public InvalidHandshakeException(String message) {
        super(message);
    }

    /** Creates the exception with a cause. */
    public InvalidHandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
