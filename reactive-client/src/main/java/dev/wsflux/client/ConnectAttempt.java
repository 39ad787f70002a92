package dev.wsflux.client;

import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.internal.Engines;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.extensions.ClientExtensionFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateClientFactory;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHandshakeException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.WebSocketUri;
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
final class ConnectAttempt {
    private ConnectAttempt() {}

    /** Opens a session to {@code uri}; the caller applies the open timeout. */
    static Mono<WebSocketSession> open(WebSocketClient.ClientConfig config, URI uri) {
        return attempt(config, uri, config.headers, 0);
    }

    private static Mono<WebSocketSession> attempt(
            WebSocketClient.ClientConfig config, URI uri, Headers headers, int redirects) {
        return Mono.defer(() -> {
                    WebSocketUri target = WebSocketUri.of(uri);
                    ClientProtocol protocol = protocol(config, target, headers);
                    Request request = protocol.connect();
                    return ClientTransport.connect(
                                    config, target.secure(), target.host(), target.port(), proxy(config, target))
                            .flatMap(
                                    connection -> Engines.connectClient(connection, protocol, request, config.options));
                })
                .onErrorResume(Redirects::isRedirect, error -> {
                    InvalidStatusException redirect = (InvalidStatusException) error;
                    if (config.maxRedirects == 0) {
                        return Mono.error(redirect); // redirects are not followed: the 3xx is the answer
                    }
                    if (redirects >= config.maxRedirects) {
                        return Mono.error(new InvalidHandshakeException(
                                "too many redirects: stopped after " + redirects + " at " + WebSocketUri.of(uri),
                                redirect));
                    }
                    URI next = Redirects.target(uri, redirect);
                    if (config.unixSocket != null && !Redirects.sameOrigin(uri, next)) {
                        return Mono.error(new InvalidHandshakeException(
                                "refused cross-origin redirect to " + next + " over a Unix socket", redirect));
                    }
                    return attempt(config, next, Redirects.headersFor(uri, next, headers), redirects + 1);
                });
    }

    /** The Sans-I/O protocol for one attempt, configured from the client's options. */
    static ClientProtocol protocol(WebSocketClient.ClientConfig config, WebSocketUri uri, Headers headers) {
        List<ClientExtensionFactory> extensions = new ArrayList<>();
        if (config.compression) {
            extensions.add(
                    config.compressionFactory != null
                            ? config.compressionFactory
                            : PerMessageDeflateClientFactory.create());
        }
        extensions.addAll(config.extensions);
        Headers extra = config.host == null
                ? headers
                : headers.toBuilder().set("Host", config.host).build();
        return ClientProtocol.builder(uri)
                .origin(config.origin)
                .subprotocols(config.subprotocols)
                .extensions(extensions)
                .headers(extra)
                .userAgent(config.userAgent)
                .maxSize(config.options.maxSize())
                .maxFrameSize(config.options.maxFrameSize())
                // the engine delivers the messages that precede a Close or a violation first (docs/ARCHITECTURE.md §3,
                // deferred close)
                .deferClose(true)
                .frameObserver(Engines.frameObserver(config.frameObserver))
                .build();
    }

    /** The proxy for {@code uri}: none over a Unix socket, else the explicit one, else the detected one. */
    static Optional<ProxyServer> proxy(WebSocketClient.ClientConfig config, WebSocketUri uri) {
        if (config.unixSocket != null) {
            return Optional.empty();
        }
        if (config.proxy != null) {
            return Optional.of(config.proxy);
        }
        if (config.proxyDetector != null) {
            return config.proxyDetector.proxyFor(uri.secure(), uri.host(), uri.port());
        }
        return Optional.empty();
    }
}
