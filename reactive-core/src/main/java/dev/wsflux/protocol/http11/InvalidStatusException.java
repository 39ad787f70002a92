package dev.wsflux.protocol.http11;

/**
 * The server answered the upgrade request with a status other than 101, or with any status from an HTTP/1.0
 * server, which cannot switch protocols; carries the whole response.
 *
 * <p>The message says what the server answered: {@code "server rejected WebSocket connection: HTTP 404"}, or
 * for an HTTP/1.0 server its status line, {@code "server rejected WebSocket connection: HTTP/1.0 200 OK (an
 * HTTP/1.0 server: the WebSocket handshake needs HTTP/1.1)"}.
 */
public class InvalidStatusException extends InvalidHandshakeException {
    private static final long serialVersionUID = 1L;

    private final transient Response response;

    /** Creates the exception for {@code response}, an HTTP/1.1 response. */
    public InvalidStatusException(Response response) {
        super("server rejected WebSocket connection: HTTP " + response.status());
        this.response = response;
    }

    /**
     * Creates the exception for {@code response} of another HTTP version than 1.1.
     *
     * @param response the response
     * @param httpVersion the version of its status line, such as {@code "HTTP/1.0"}
     */
    public InvalidStatusException(Response response, String httpVersion) {
        super("server rejected WebSocket connection: " + httpVersion + " " + response.status()
                + (response.reason().isEmpty() ? "" : " " + HttpSyntax.printable(response.reason()))
                + " (an " + httpVersion + " server: the WebSocket handshake needs HTTP/1.1)");
        this.response = response;
    }

    /** The HTTP status. */
    public int status() {
        return response.status();
    }

    /** The response headers. */
    public Headers headers() {
        return response.headers();
    }

    /** The response body (possibly empty). */
    public byte[] body() {
        return response.body();
    }

    /** The whole response. */
    public Response response() {
        return response;
    }
}
