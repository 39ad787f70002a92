package dev.wsflux.client;

import dev.wsflux.protocol.frames.WebSocketException;

/**
 * The connection under the WebSocket could not be set up: the host name did not resolve, TCP was refused or
 * could not reach the server, or the TLS handshake failed. Nothing was sent to the server.
 *
 * <p>The message names the address and says what happened, for example {@code "cannot connect to
 * 127.0.0.1:8080: connection refused"}, {@code "cannot connect to example.invalid:443: unknown host"} or
 * {@code "cannot connect to 127.0.0.1:8443: TLS handshake failed: PKIX path building failed: ..."}. The cause
 * is the JDK's exception: a {@link java.net.ConnectException}, {@link java.net.NoRouteToHostException}, {@link
 * java.net.UnknownHostException}, {@link javax.net.ssl.SSLHandshakeException} or another {@link
 * java.io.IOException}; neither it nor its causes are Netty or Reactor types. {@link
 * ReconnectOptions#isRetryable(Throwable)} looks at the cause: network errors are retried, TLS failures are not.
 *
 * <p>A failure through a proxy is a {@link dev.wsflux.client.ProxyException} instead, with the same kind of
 * cause.
 */
public class ConnectFailedException extends WebSocketException {
    private static final long serialVersionUID = 1L;

    private final String address;

    /**
     * Creates the exception.
     *
     * @param address where the client tried to connect: {@code host:port} (an IPv6 address in brackets) or the
     *     path of a Unix domain socket
     * @param reason what happened, lower-case, such as {@code "connection refused"}
     * @param cause the JDK exception
     */
    public ConnectFailedException(String address, String reason, Throwable cause) {
        super("cannot connect to " + address + ": " + reason, cause);
        this.address = address;
    }

    /** Where the client tried to connect: {@code host:port}, or the path of a Unix domain socket. */
    public String address() {
        return address;
    }
}
