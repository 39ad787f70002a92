package dev.wsflux.protocol.http11;

import dev.wsflux.protocol.frames.Event;
import java.util.Objects;

/**
 * An HTTP/1.1 request: the WebSocket opening handshake sent by a client
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.1">RFC 6455 §4.1</a>).
 *
 * <pre>
 * GET /chat HTTP/1.1
 * Host: server.example.com
 * Upgrade: websocket
 * Connection: Upgrade
 * Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
 * Origin: http://example.com
 * Sec-WebSocket-Protocol: chat, superchat
 * Sec-WebSocket-Version: 13
 * </pre>
 *
 * @param method the method, {@code GET} for an upgrade
 * @param path the request target: path and query
 * @param headers the headers
 */
public record Request(String method, String path, Headers headers) implements Event {
    /** Requires every component. */
    public Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
    }

    /** A GET request. */
    public Request(String path, Headers headers) {
        this("GET", path, headers);
    }
}
