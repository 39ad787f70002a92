package dev.wsflux.protocol;

/** The server answered the upgrade request with a status other than 101; carries the whole response. */
public class InvalidStatusException extends InvalidHandshakeException {
    private static final long serialVersionUID = 1L;

    private final transient Response response;

    /** Creates the exception for {@code response}. */
    public InvalidStatusException(Response response) {
        super("server rejected WebSocket connection: HTTP " + response.status());
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
