package dev.wsflux.protocol.frames;

import dev.wsflux.protocol.Protocol;

/**
 * The peer broke RFC 6455 (or a negotiated extension's rules); carries the close code the
 * connection fails with (1002, 1007, 1009, 1010 or 1011).
 */
public class WebSocketProtocolException extends WebSocketException {
    private static final long serialVersionUID = 1L;

    private final int closeCode;

    /**
     * Creates an exception that fails the connection with {@code closeCode}.
     *
     * @param closeCode a code that may be sent, or 1006 (close TCP without a Close frame), as {@link
     *     Protocol#fail(int, String)} accepts
     * @param message what the peer did wrong
     * @throws IllegalArgumentException for any other code: the connection could not fail with it
     */
    public WebSocketProtocolException(int closeCode, String message) {
        super(message);
        this.closeCode = checkCode(closeCode);
    }

    /** Creates an exception that fails the connection with {@code closeCode}, with a cause; see above. */
    public WebSocketProtocolException(int closeCode, String message, Throwable cause) {
        super(message, cause);
        this.closeCode = checkCode(closeCode);
    }

    private static int checkCode(int closeCode) {
        if (closeCode != CloseCodes.ABNORMAL_CLOSURE && !CloseCodes.isSendable(closeCode)) {
            throw new IllegalArgumentException("invalid close code for a protocol failure: " + closeCode);
        }
        return closeCode;
    }

    /** Returns the close code this failure implies. */
    public int closeCode() {
        return closeCode;
    }
}
