package dev.wsflux.client;

import dev.wsflux.protocol.http11.InvalidHandshakeException;

/** Connecting through a proxy failed; carries the proxy's HTTP status when it gave one. */
public class ProxyException extends InvalidHandshakeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the exception.
     *
     * @param status the proxy's HTTP status, or -1 when it gave none (SOCKS, or no answer)
     * @param message what failed
     * @param cause the underlying failure, or {@code null}
     */
    public ProxyException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The proxy's HTTP status, or -1 when it gave none. */
    public int status() {
        return status;
    }
}
