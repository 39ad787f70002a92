package dev.wsflux.protocol.frames;

/** The connection closed normally: both Close frames carried 1000, 1001 or 1005. */
public class ConnectionClosedOkException extends ConnectionClosedException {
    private static final long serialVersionUID = 1L;

    /** See {@link ConnectionClosedException#ConnectionClosedException}. */
    public ConnectionClosedOkException(
            CloseStatus received, CloseStatus sent, Boolean receivedThenSent, Throwable cause) {
        super(received, sent, receivedThenSent, cause);
    }

    ConnectionClosedOkException(
            CloseStatus received,
            CloseStatus sent,
            Boolean receivedThenSent,
            Throwable cause,
            boolean writableStackTrace) {
        super(received, sent, receivedThenSent, cause, writableStackTrace);
    }
}
