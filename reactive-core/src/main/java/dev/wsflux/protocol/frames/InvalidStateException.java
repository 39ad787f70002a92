package dev.wsflux.protocol.frames;

/** An operation is not allowed in the connection's current state, such as sending data while closing. */
public class InvalidStateException extends WebSocketException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public InvalidStateException(String message) {
        super(message);
    }
}
