package dev.wsflux.protocol.http11;

/** The request's Origin is not allowed; a server answers 403. */
public class InvalidOriginException extends InvalidHeaderException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for {@code origin}, {@code null} when the request had none. */
    public InvalidOriginException(String origin) {
        super("Origin", origin, origin == null ? "missing" : origin);
    }
}
