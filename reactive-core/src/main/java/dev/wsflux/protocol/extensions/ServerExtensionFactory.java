package dev.wsflux.protocol.extensions;

import dev.wsflux.protocol.http11.ExtensionOffer;
import java.util.List;

/**
 * Accepts or declines a client's offer of an extension
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-9.1">RFC 6455 §9.1</a>).
 */
public interface ServerExtensionFactory {

    /** The extension name. */
    String name();

    /**
     * Considers one offer. The server tries the client's offers in the client's order and keeps the
     * first that a factory accepts.
     *
     * @param offer the client's offer
     * @param accepted extensions already accepted for this connection
     * @return the accepted parameters and the extension, or {@code null} to decline this offer (the
     *     next one is tried)
     * @throws NegotiationException when the offer is invalid (unknown or duplicated parameters, values
     *     out of range): the server answers 400
     */
    Accepted accept(ExtensionOffer offer, List<Extension> accepted);

    /**
     * An accepted offer.
     *
     * @param response the answer the server puts in its {@code Sec-WebSocket-Extensions}
     * @param extension the extension for this connection
     */
    record Accepted(ExtensionOffer response, Extension extension) {}
}
