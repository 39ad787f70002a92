package dev.wsflux.protocol.http11;

import dev.wsflux.protocol.frames.Event;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An HTTP/1.1 response: the server's answer to the opening handshake
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2">RFC 6455 §4.2.2</a>).
 *
 * <pre>
 * HTTP/1.1 101 Switching Protocols
 * Upgrade: websocket
 * Connection: Upgrade
 * Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
 * Sec-WebSocket-Protocol: chat
 * </pre>
 *
 * @param status the status code
 * @param reason the reason phrase
 * @param headers the headers
 * @param body the body; empty for a 101
 */
public record Response(int status, String reason, Headers headers, byte[] body) implements Event {
    /** Requires every component; the body array is not copied. */
    public Response {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Response that
                && status == that.status
                && reason.equals(that.reason)
                && headers.equals(that.headers)
                && java.util.Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, reason, headers, java.util.Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "Response[" + status + " " + reason + ", " + headers.size() + " headers, " + body.length + " bytes]";
    }
}
