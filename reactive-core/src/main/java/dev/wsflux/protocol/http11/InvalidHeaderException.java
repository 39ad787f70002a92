package dev.wsflux.protocol.http11;

/** A handshake header is missing or has an invalid value. */
public class InvalidHeaderException extends InvalidHandshakeException {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String value;

    /**
     * Creates the exception.
     *
     * @param name the header name
     * @param value the offending value, or {@code null} when the header is missing
     * @param message what is wrong
     */
    public InvalidHeaderException(String name, String value, String message) {
        super(value == null ? "missing " + name + " header" : "invalid " + name + " header: " + message);
        this.name = name;
        this.value = value;
    }

    /** The header name. */
    public String name() {
        return name;
    }

    /** The offending value, or {@code null} when the header was missing. */
    public String value() {
        return value;
    }
}
