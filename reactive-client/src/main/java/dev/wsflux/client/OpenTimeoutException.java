package dev.wsflux.client;

import dev.wsflux.protocol.frames.WebSocketException;
import java.time.Duration;

/**
 * Opening a connection took longer than the client's {@code openTimeout}, which spans name resolution,
 * TCP connect, the proxy, TLS, the opening handshake and every redirect. The attempt was abandoned and
 * its connection closed; trying again later may succeed.
 */
public class OpenTimeoutException extends WebSocketException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    /** Creates the exception for a connection to {@code uri} that did not open within {@code timeout}. */
    public OpenTimeoutException(String uri, Duration timeout) {
        super("opening the connection to " + uri + " timed out after " + timeout.toMillis() + " ms");
        this.timeout = timeout;
    }

    /** The timeout that expired. */
    public Duration timeout() {
        return timeout;
    }
}
