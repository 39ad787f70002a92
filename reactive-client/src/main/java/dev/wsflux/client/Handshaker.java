package dev.wsflux.client;

import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.internal.Engines;
import dev.wsflux.protocol.ClientExtensionFactory;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.Headers;
import dev.wsflux.protocol.InvalidHandshakeException;
import dev.wsflux.protocol.InvalidStatusException;
import dev.wsflux.protocol.PerMessageDeflateClientFactory;
import dev.wsflux.protocol.Request;
import dev.wsflux.protocol.WebSocketUri;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * One connection attempt of a {@link WebSocketClient}: picks the proxy, opens the transport, runs the
 * opening handshake on the session engine and follows redirects. Stateless.
 *
 * <p>RFC 6455 §4.1: the client sends
 *
 * <pre>
 * GET /chat HTTP/1.1
 * Host: server.example.com
 * Upgrade: websocket
 * Connection: Upgrade
 * Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
 * Sec-WebSocket-Version: 13
 * Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits
 * User-Agent: wsflux/0.1.0 Java/17.0.15
 * </pre>
 *
 * and expects {@code HTTP/1.1 101 Switching Protocols}; a 301/302/303/307/308 is followed (see
 * {@link Redirects}); anything else fails with an {@link InvalidStatusException}.
 */
final class Handshaker {
    private Handshaker() {}

    /** Opens a session to {@code uri}; the caller applies the open timeout. */
    static Mono<WebSocketSession> open(WebSocketClient.Settings settings, URI uri) {
        return attempt(settings, uri, settings.headers, 0);
    }

    private static Mono<WebSocketSession> attempt(
            WebSocketClient.Settings settings, URI uri, Headers headers, int redirects) {
        return Mono.defer(() -> {
                    WebSocketUri target = WebSocketUri.of(uri);
                    ClientProtocol protocol = protocol(settings, target, headers);
                    Request request = protocol.connect();
                    return ClientTransport.connect(
                                    settings, target.secure(), target.host(), target.port(), proxy(settings, target))
                            .flatMap(connection ->
                                    Engines.connectClient(connection, protocol, request, settings.options));
                })
                .onErrorResume(Redirects::isRedirect, error -> {
                    InvalidStatusException redirect = (InvalidStatusException) error;
                    if (settings.maxRedirects == 0) {
                        return Mono.error(redirect); // redirects are not followed: the 3xx is the answer
                    }
                    if (redirects >= settings.maxRedirects) {
                        return Mono.error(new InvalidHandshakeException(
                                "too many redirects: stopped after " + redirects + " at " + WebSocketUri.of(uri),
                                redirect));
                    }
                    URI next = Redirects.target(uri, redirect);
                    if (settings.unixSocket != null && !Redirects.sameOrigin(uri, next)) {
                        return Mono.error(new InvalidHandshakeException(
                                "refused cross-origin redirect to " + next + " over a Unix socket", redirect));
                    }
                    return attempt(settings, next, Redirects.headersFor(uri, next, headers), redirects + 1);
                });
    }

    /** The Sans-I/O protocol for one attempt, configured from the client's options. */
    static ClientProtocol protocol(WebSocketClient.Settings settings, WebSocketUri uri, Headers headers) {
        List<ClientExtensionFactory> extensions = new ArrayList<>();
        if (settings.compression) {
            extensions.add(
                    settings.compressionFactory != null
                            ? settings.compressionFactory
                            : PerMessageDeflateClientFactory.create());
        }
        extensions.addAll(settings.extensions);
        Headers extra = settings.host == null
                ? headers
                : headers.toBuilder().set("Host", settings.host).build();
        return ClientProtocol.builder(uri)
                .origin(settings.origin)
                .subprotocols(settings.subprotocols)
                .extensions(extensions)
                .headers(extra)
                .userAgent(settings.userAgent)
                .maxSize(settings.options.maxSize())
                .maxFrameSize(settings.options.maxFrameSize())
                // the engine delivers the messages that precede a Close or a violation first (DESIGN.md)
                .deferClose(true)
                .frameObserver(Engines.frameObserver(settings.frameObserver))
                .build();
    }

    /** The proxy for {@code uri}: none over a Unix socket, else the explicit one, else the detected one. */
    static Optional<ProxyServer> proxy(WebSocketClient.Settings settings, WebSocketUri uri) {
        if (settings.unixSocket != null) {
            return Optional.empty();
        }
        if (settings.proxy != null) {
            return Optional.of(settings.proxy);
        }
        if (settings.proxyDetector != null) {
            return settings.proxyDetector.proxyFor(uri.secure(), uri.host(), uri.port());
        }
        return Optional.empty();
    }
}
