package dev.wsflux.protocol.frames;

/**
 * The connection is closed: carries the Close frames received and sent (either may be {@code null}),
 * which came first, and the cause when the connection was failed.
 *
 * <p>{@link ConnectionClosedOkException} when both codes are in {1000, 1001, 1005};
 * {@link ConnectionClosedErrorException} otherwise. Use {@link #of} to get the right one.
 *
 * <p>The instances that {@link #of} makes carry no stack trace: they describe how a connection ended,
 * not a place in the program (the library makes them on the event loop when the connection closes, where
 * a stack trace would show only Netty's frames), and filling one in for every closed connection is a
 * measurable share of a short connection's cost. The {@linkplain #getCause() cause}, when there is one,
 * keeps its own stack trace.
 */
public class ConnectionClosedException extends WebSocketException {
    private static final long serialVersionUID = 1L;

    private final transient CloseStatus received;
    private final transient CloseStatus sent;
    private final Boolean receivedThenSent;

    /**
     * Creates the exception.
     *
     * @param received the Close frame received, or {@code null}
     * @param sent the Close frame sent, or {@code null}
     * @param receivedThenSent whether the received Close came first; {@code null} unless both exist
     * @param cause why the connection was failed, or {@code null}
     */
    public ConnectionClosedException(
            CloseStatus received, CloseStatus sent, Boolean receivedThenSent, Throwable cause) {
        this(received, sent, receivedThenSent, cause, true);
    }

    ConnectionClosedException(
            CloseStatus received,
            CloseStatus sent,
            Boolean receivedThenSent,
            Throwable cause,
            boolean writableStackTrace) {
        super(describe(received, sent, receivedThenSent), cause, writableStackTrace);
        this.received = received;
        this.sent = sent;
        this.receivedThenSent = receivedThenSent;
    }

    /**
     * Returns an {@link ConnectionClosedOkException} or an {@link ConnectionClosedErrorException},
     * without a stack trace.
     */
    public static ConnectionClosedException of(
            CloseStatus received, CloseStatus sent, Boolean receivedThenSent, Throwable cause) {
        boolean ok = received != null && received.isOk() && sent != null && sent.isOk();
        return ok
                ? new ConnectionClosedOkException(received, sent, receivedThenSent, cause, false)
                : new ConnectionClosedErrorException(received, sent, receivedThenSent, cause, false);
    }

    /** The Close frame received, or {@code null} when none was. */
    public CloseStatus received() {
        return received;
    }

    /** The Close frame sent, or {@code null} when none was. */
    public CloseStatus sent() {
        return sent;
    }

    /** Whether the received Close frame came before the one sent; {@code null} unless both exist. */
    public Boolean receivedThenSent() {
        return receivedThenSent;
    }

    /** Whether the closure was OK: both Close frames exist and carry 1000, 1001 or 1005. */
    public boolean isOk() {
        return this instanceof ConnectionClosedOkException;
    }

    private static String describe(CloseStatus received, CloseStatus sent, Boolean receivedThenSent) {
        if (received == null && sent == null) {
            return "no close frame received or sent";
        } else if (received == null) {
            return "sent " + sent + "; no close frame received";
        } else if (sent == null) {
            return "received " + received + "; no close frame sent";
        } else if (Boolean.TRUE.equals(receivedThenSent)) {
            return "received " + received + "; then sent " + sent;
        } else {
            return "sent " + sent + "; then received " + received;
        }
    }
}
