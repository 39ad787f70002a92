package dev.wsflux.protocol.frames;

/**
 * The root of wsflux's exceptions (unchecked).
 *
 * <pre>
 * WebSocketException                     (dev.wsflux.protocol.frames)
 * ├── ConnectionClosedException
 * │   ├── ConnectionClosedOkException
 * │   └── ConnectionClosedErrorException
 * ├── WebSocketProtocolException        (carries its close code)
 * │   └── PayloadTooBigException        (1009)
 * ├── InvalidStateException
 * ├── InvalidUriException               (dev.wsflux.protocol.http11)
 * ├── InvalidHandshakeException         (dev.wsflux.protocol.http11)
 * │   ├── InvalidHttpMessageException   (malformed HTTP; carries the status to answer)
 * │   ├── InvalidStatusException        (a non-101 response: status, headers, body)
 * │   ├── InvalidHeaderException
 * │   │   └── InvalidOriginException
 * │   ├── NegotiationException          (dev.wsflux.protocol.extensions)
 * │   └── ProxyException                (dev.wsflux.client)
 * └── ConnectFailedException            (dev.wsflux.client: DNS, TCP or TLS; a JDK cause), OpenTimeoutException
 * </pre>
 */
public class WebSocketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. */
    public WebSocketException(String message) {
        super(message);
    }

    /** Creates an exception with a message and a cause. */
    public WebSocketException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception, with or without a stack trace.
     *
     * @param message the detail message
     * @param cause the cause, or {@code null}
     * @param writableStackTrace {@code false} for an exception that describes a state rather than a
     *     place in the program (its stack trace would only show the event loop)
     */
    protected WebSocketException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, true, writableStackTrace);
    }
}
