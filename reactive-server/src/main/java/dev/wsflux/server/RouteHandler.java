package dev.wsflux.server;

import dev.wsflux.core.WebSocketSession;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Handles a session opened on a route whose template has variables, such as {@code /rooms/{room}}.
 * Completion closes the session with 1000, an error with 1011.
 */
@FunctionalInterface
public interface RouteHandler {

    /**
     * Handles one session.
     *
     * @param session the open session
     * @param variables the template's variables, percent-decoded (e.g. {@code {room=lobby}})
     * @return completes when the session's work is done
     */
    Publisher<Void> handle(WebSocketSession session, Map<String, String> variables);
}
