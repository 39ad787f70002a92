package dev.wsflux.protocol;

import dev.wsflux.protocol.extensions.NegotiationException;
import dev.wsflux.protocol.http11.Request;
import java.util.List;

/**
 * Chooses the subprotocol of a connection on the server side
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2">RFC 6455 §4.2.2</a>, item 5.4).
 */
@FunctionalInterface
public interface SubprotocolSelector {

    /**
     * Returns the subprotocol to use, which must be one the client offered, or {@code null} for none.
     *
     * @param request the handshake request
     * @param offered the subprotocols the client offered, in its order (possibly empty)
     * @return the chosen subprotocol or {@code null}
     * @throws NegotiationException to reject the handshake with 400
     */
    String select(Request request, List<String> offered);
}
