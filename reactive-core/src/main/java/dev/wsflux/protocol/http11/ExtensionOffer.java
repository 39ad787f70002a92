package dev.wsflux.protocol.http11;

import java.util.List;
import java.util.Objects;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header: an extension name and its parameters.
 * A client sends offers; a server answers with the offers it accepted, parameters adjusted.
 *
 * <pre>Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, permessage-deflate</pre>
 *
 * @param name the extension name
 * @param parameters the parameters, in order
 */
public record ExtensionOffer(String name, List<ExtensionParameter> parameters) {
    /** Requires a name; copies the parameters. */
    public ExtensionOffer {
        Objects.requireNonNull(name, "name");
        parameters = List.copyOf(parameters);
    }

    /** An offer with the given parameters. */
    public static ExtensionOffer of(String name, ExtensionParameter... parameters) {
        return new ExtensionOffer(name, List.of(parameters));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name);
        for (ExtensionParameter parameter : parameters) {
            text.append("; ").append(parameter);
        }
        return text.toString();
    }
}
