package dev.wsflux.core.internal;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;

/**
 * What reactive-server and reactive-client need from a session beyond {@link WebSocketSession}. Every
 * session made by {@link Engines} implements it. Not part of the user API.
 */
public interface EngineSession extends WebSocketSession {

    /**
     * Queues {@code message} for sending without waiting for it, unless the session's outbound buffer is
     * already at its {@code writeLimit.high} (counting messages offered but not yet written): then it does
     * nothing and returns {@code false}. Never buffers without bound; thread-safe; never blocks.
     *
     * @return whether the message was queued
     */
    boolean offer(Message message);
}
