package dev.wsflux.server;

import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.net.SocketAddress;

/**
 * An opening-handshake request as seen by the {@code processRequest} and {@code processResponse} hooks of
 * {@link WebSocketServer}, with helpers to build plain-text responses. Thread-safe (immutable); a response
 * built here must be used for this connection only.
 */
public final class ServerRequest {
    private final Request request;
    private final SocketAddress remoteAddress;
    private final ServerProtocol protocol;

    ServerRequest(Request request, SocketAddress remoteAddress, ServerProtocol protocol) {
        this.request = request;
        this.remoteAddress = remoteAddress;
        this.protocol = protocol;
    }

    /** The request as received. */
    public Request request() {
        return request;
    }

    /**
     * The request target's path, without the query; routes match it. For an absolute-form target ({@code
     * GET http://example.com/chat HTTP/1.1}, which RFC 7230 §5.3.2 says "a server MUST accept") it is the
     * path of that URI, {@code /chat}.
     */
    public String path() {
        String target = originForm();
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** The query (after {@code ?}), or {@code null} when there is none. */
    public String query() {
        String target = originForm();
        int query = target.indexOf('?');
        return query < 0 ? null : target.substring(query + 1);
    }

    /** The target without the scheme and authority of an absolute-form target (the protocol checked its form). */
    private String originForm() {
        String target = request.path();
        int scheme = target.startsWith("/") ? -1 : target.indexOf("://");
        if (scheme < 0) {
            return target;
        }
        int end = scheme + 3;
        while (end < target.length() && "/?".indexOf(target.charAt(end)) < 0) {
            end++;
        }
        String rest = target.substring(end);
        return rest.startsWith("/") ? rest : "/" + rest;
    }

    /** The request headers. */
    public Headers headers() {
        return request.headers();
    }

    /** The client's address. */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * A plain-text response with {@code status} and {@code text} as its body, such as a health check's
     * {@code 200 OK} or a {@code 403}. The connection closes after it.
     */
    public Response respond(int status, String text) {
        return protocol.reject(status, text);
    }

    /** Like {@link #respond(int, String)}, with {@code headers} added (e.g. {@code WWW-Authenticate}). */
    public Response respond(int status, String text, Headers headers) {
        Response response = protocol.reject(status, text);
        return new Response(
                response.status(),
                response.reason(),
                response.headers().toBuilder().addAll(headers).build(),
                response.body());
    }

    @Override
    public String toString() {
        return "ServerRequest[" + request.method() + " " + request.path() + " from " + remoteAddress + "]";
    }
}
