package dev.wsflux.client;

import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHandshakeException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.InvalidUriException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How the client follows an HTTP redirect in answer to its opening handshake, after Python
 * {@code websockets}' {@code process_redirect}. Stateless.
 *
 * <p>RFC 6455 §4.1: "If the status code received from the server is not 101, the client handles the
 * response per HTTP [RFC2616] procedures. In particular, the client might perform authentication if it
 * receives a 401 status code; the server might redirect the client using a 3xx status code (but clients
 * are not required to follow them), etc."
 *
 * <p>Rules: 301, 302, 303, 307 and 308 with a {@code Location} are followed (for a WebSocket GET they all
 * mean "ask there"); a relative {@code Location} is resolved against the current URI (RFC 3986 §5.2);
 * {@code http}/{@code https} locations are read as {@code ws}/{@code wss}; a redirect from {@code wss}
 * to {@code ws} is refused (it would silently drop TLS); when the origin (scheme, host, port) changes,
 * {@code Authorization} and {@code Cookie} headers are dropped so that credentials meant for one server
 * do not leak to another.
 */
final class Redirects {
    /** The most redirects followed for one connection, as in {@code websockets} ({@code MAX_REDIRECTS}). */
    static final int MAX_REDIRECTS = 10;

    private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

    private Redirects() {}

    /** Whether {@code error} is a redirect the client follows. */
    static boolean isRedirect(Throwable error) {
        return error instanceof InvalidStatusException status
                && REDIRECT_STATUSES.contains(status.status())
                && status.headers().contains("Location");
    }

    /**
     * The URI to try next after {@code redirect}, a response to a handshake sent to {@code current}.
     *
     * @throws InvalidHandshakeException when the redirect leaves TLS or its location is not a WebSocket
     *     URI
     */
    static URI target(URI current, InvalidStatusException redirect) {
        String location = redirect.headers().get("Location").strip();
        URI next;
        try {
            // java.net.URI follows RFC 2396 and drops the last path segment for a reference that is only
            // a query; RFC 3986 §5.2.2 keeps the base path.
            String path = current.getRawPath() == null || current.getRawPath().isEmpty() ? "/" : current.getRawPath();
            next = current.resolve(new URI(location.startsWith("?") ? path + location : location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new InvalidHandshakeException(
                    "redirect " + redirect.status() + " to an invalid location: " + location, redirect);
        }
        next = toWebSocketScheme(next);
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new InvalidHandshakeException(
                    "redirect " + redirect.status() + " to a non-WebSocket location: " + location,
                    new InvalidUriException(location, "scheme isn't ws or wss"));
        }
        if (isSecure(current) && !scheme.equals("wss")) {
            throw new InvalidHandshakeException(
                    "refused redirect from secure " + current + " to non-secure " + next, redirect);
        }
        return next;
    }

    /**
     * The extra headers to send to {@code next}: {@code headers} without {@code Authorization} and
     * {@code Cookie} when the origin changes.
     */
    static Headers headersFor(URI current, URI next, Headers headers) {
        if (sameOrigin(current, next)) {
            return headers;
        }
        return headers.toBuilder().remove("Authorization").remove("Cookie").build();
    }

    /** Whether two WebSocket URIs have the same scheme, host and port (RFC 6454 §5). */
    static boolean sameOrigin(URI a, URI b) {
        return isSecure(a) == isSecure(b)
                && Objects.equals(lower(a.getHost()), lower(b.getHost()))
                && port(a) == port(b);
    }

    static boolean isSecure(URI uri) {
        return "wss".equalsIgnoreCase(uri.getScheme());
    }

    /** The URI's port, or the scheme's default (80 for ws, 443 for wss). */
    static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : isSecure(uri) ? 443 : 80;
    }

    private static URI toWebSocketScheme(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return uri;
        }
        return URI.create(
                (scheme.equals("https") ? "wss" : "ws") + uri.toString().substring(scheme.length()));
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }
}
