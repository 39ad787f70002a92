package dev.wsflux.protocol.extensions;

import dev.wsflux.protocol.http11.ExtensionOffer;
import java.util.List;

/**
 * Offers an extension in the client's handshake and builds it from the server's answer
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-9.1">RFC 6455 §9.1</a>).
 */
public interface ClientExtensionFactory {

    /** The extension name. */
    String name();

    /**
     * The offers to send, most preferred first. Several offers of one extension let the server fall
     * back, e.g. {@code [(client_no_context_takeover, client_max_window_bits=9), (), ...]}.
     */
    List<ExtensionOffer> offers();

    /**
     * Builds the extension from the parameters the server accepted.
     *
     * @param response the server's answer for this extension
     * @param accepted extensions already accepted from earlier answers
     * @return the extension
     * @throws NegotiationException when the answer does not match any offer or is invalid
     */
    Extension accept(ExtensionOffer response, List<Extension> accepted);
}
