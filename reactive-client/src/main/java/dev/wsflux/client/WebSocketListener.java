package dev.wsflux.client;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;

/**
 * Callbacks for a connection run by {@link WebSocketClient#listen(java.net.URI, WebSocketListener, boolean)},
 * for code coming from {@code websocket-client}'s {@code WebSocketApp} or OkHttp's {@code WebSocketListener}.
 * Every method has an empty default: override what you need.
 *
 * <p>Callbacks for one connection run one at a time, in order, on a {@code boundedElastic} worker thread,
 * never on the event loop: they may block (while they block, no further message is read for that
 * connection).
 */
public interface WebSocketListener {

    /** The first connection is open. */
    default void onOpen(WebSocketSession session) {}

    /** A connection was open again after a loss (with reconnection on); called instead of {@link #onOpen}. */
    default void onReconnect(WebSocketSession session) {}

    /** A message arrived. */
    default void onMessage(WebSocketSession session, Message message) {}

    /**
     * The connection is closed: {@code code} and {@code reason} of the Close frame received (1005 when it
     * had no code, 1006 when none was received).
     */
    default void onClose(WebSocketSession session, int code, String reason) {}

    /**
     * Something failed: a connection attempt (with reconnection on, a retry follows when the error is
     * retryable), or an open connection that closed with an error (before {@link #onClose}).
     */
    default void onError(Throwable error) {}
}
