package dev.wsflux.protocol.http11;

/**
 * An HTTP request or response could not be parsed, or exceeded a parser limit. Carries the HTTP status
 * a server answers with: 400 (malformed), 431 (header too large, too many headers) or 505 (version).
 */
public class InvalidHttpMessageException extends InvalidHandshakeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /** Creates the exception with the status a server should answer. */
    public InvalidHttpMessageException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status a server answers with. */
    public int status() {
        return status;
    }
}
