package dev.wsflux.protocol.http11;

import java.util.Objects;

/**
 * One parameter of an extension in {@code Sec-WebSocket-Extensions}: a name and an optional value
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-9.1">RFC 6455 §9.1</a>).
 *
 * @param name the parameter name, a token
 * @param value the value (unquoted), or {@code null} when the parameter has none
 */
public record ExtensionParameter(String name, String value) {
    /** Requires a name. */
    public ExtensionParameter {
        Objects.requireNonNull(name, "name");
    }

    /** A parameter without a value. */
    public static ExtensionParameter of(String name) {
        return new ExtensionParameter(name, null);
    }

    /** A parameter with a value. */
    public static ExtensionParameter of(String name, String value) {
        return new ExtensionParameter(name, Objects.requireNonNull(value, "value"));
    }

    @Override
    public String toString() {
        return value == null ? name : name + "=" + value;
    }
}
