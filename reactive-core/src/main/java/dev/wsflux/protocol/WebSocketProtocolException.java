package dev.wsflux.protocol;

/**
 * The peer broke RFC 6455 (or a negotiated extension's rules); carries the close code the
 * connection fails with (1002, 1007, 1009, 1010 or 1011).
 */
public class WebSocketProtocolException extends WebSocketException {
    private static final long serialVersionUID = 1L;

    private final int closeCode;

    /** Creates an exception that fails the connection with {@code closeCode}. */
    public WebSocketProtocolException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /** Creates an exception that fails the connection with {@code closeCode}, with a cause. */
    public WebSocketProtocolException(int closeCode, String message, Throwable cause) {
        super(message, cause);
        this.closeCode = closeCode;
    }

    /** Returns the close code this failure implies. */
    public int closeCode() {
        return closeCode;
    }
}
