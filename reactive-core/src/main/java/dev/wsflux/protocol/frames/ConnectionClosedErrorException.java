package dev.wsflux.protocol.frames;

/** The connection closed with an error: a Close frame is missing or carried another code. */
public class ConnectionClosedErrorException extends ConnectionClosedException {
    private static final long serialVersionUID = 1L;

    /** See {@link ConnectionClosedException#ConnectionClosedException}. */
    public ConnectionClosedErrorException(
            CloseStatus received, CloseStatus sent, Boolean receivedThenSent, Throwable cause) {
        super(received, sent, receivedThenSent, cause);
    }

    ConnectionClosedErrorException(
            CloseStatus received,
            CloseStatus sent,
            Boolean receivedThenSent,
            Throwable cause,
            boolean writableStackTrace) {
        super(received, sent, receivedThenSent, cause, writableStackTrace);
    }
}
