package dev.wsflux.protocol.http11;

import dev.wsflux.protocol.frames.WebSocketException;

/** A URI is not a valid WebSocket URI (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-3">RFC 6455 §3</a>). */
public class InvalidUriException extends WebSocketException {
    private static final long serialVersionUID = 1L;

    private final String uri;

    /** Creates the exception for {@code uri} with an explanation. */
    public InvalidUriException(String uri, String message) {
        super(uri + " isn't a valid WebSocket URI: " + message);
        this.uri = uri;
    }

    /** The offending URI. */
    public String uri() {
        return uri;
    }
}
