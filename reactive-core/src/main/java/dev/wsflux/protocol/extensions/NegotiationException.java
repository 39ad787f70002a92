package dev.wsflux.protocol.extensions;

import dev.wsflux.protocol.http11.InvalidHandshakeException;

/**
 * Extension or subprotocol negotiation failed: an invalid parameter, an unacceptable response, or no
 * acceptable subprotocol. A server answers 400; a client fails the connection.
 */
public class NegotiationException extends InvalidHandshakeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public NegotiationException(String message) {
        super(message);
    }
}
