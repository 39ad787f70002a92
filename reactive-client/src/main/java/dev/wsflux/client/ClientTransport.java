package dev.wsflux.client;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.tcp.SslProvider;
import reactor.netty.tcp.TcpClient;
import reactor.netty.transport.ProxyProvider;

/**
 * Opens the byte stream under a WebSocket connection with Reactor Netty's {@link TcpClient}: TCP or a Unix
 * domain socket, through a proxy or not, with TLS for {@code wss://}. The opening handshake is not done
 * here. Stateless and thread-safe; with {@link ConnectErrors}, which turns its failures into wsflux exceptions
 * with JDK causes, the only Netty-facing class of the client.
 *
 * <p>The pipeline Reactor Netty builds is {@code [proxy handler] → [SslHandler] → …}: the proxy tunnel is
 * set up first, then TLS runs end to end with the server through it, as RFC 6455 §4.1 asks ("If /secure/
 * is true, the client MUST perform a TLS handshake over the connection after opening the connection and
 * before sending the handshake data").
 */
final class ClientTransport {
    /** Where an HTTP proxy's status appears in Netty's {@code HttpProxyConnectException} message. */
    private static final Pattern PROXY_STATUS = Pattern.compile("status: (\\d{3})");

    private ClientTransport() {}

    /**
     * A connection to {@code host}:{@code port} (or to the client's Unix socket), TLS set up when
     * {@code secure}.
     *
     * @param proxy the proxy to go through, or empty
     */
    static Mono<Connection> connect(
            WebSocketClient.ClientConfig config, boolean secure, String host, int port, Optional<ProxyServer> proxy) {
        return Mono.defer(() -> {
            TcpClient client = TcpClient.newConnection();
            if (secure) {
                client = client.secure(sslProvider(config.tls, host, port));
            }
            if (config.unixSocket != null) {
                SocketAddress address = unixSocketAddress(config.unixSocket);
                return client.remoteAddress(() -> address)
                        .connect()
                        .cast(Connection.class)
                        .onErrorMap(error -> ConnectErrors.connectFailed(error, config.unixSocket.toString()));
            }
            if (proxy.isEmpty()) {
                InetSocketAddress address = InetSocketAddress.createUnresolved(host, port);
                return client.remoteAddress(() -> address)
                        .connect()
                        .cast(Connection.class)
                        .onErrorMap(error -> ConnectErrors.connectFailed(error, authority(host, port)));
            }
            ProxyServer server = proxy.get();
            TcpClient secured = client;
            return resolve(server.host(), server.port())
                    .zipWith(destination(server, host, port))
                    .flatMap(addresses -> secured.proxy(spec -> configure(spec, server, addresses.getT1()))
                            .remoteAddress(addresses::getT2)
                            .connect())
                    .cast(Connection.class)
                    .flatMap(ClientTransport::proxyEstablished)
                    .onErrorMap(
                            error -> !(error instanceof ProxyException),
                            error -> proxyError(server, host, port, error));
        });
    }

    /**
     * Completes with the connection once the proxy reports the tunnel as open: Reactor Netty's
     * {@code TcpClient} emits the connection when TCP to the proxy is up, before the proxy answered.
     */
    private static Mono<Connection> proxyEstablished(Connection connection) {
        ProxyHandler handler = connection.channel().pipeline().get(ProxyHandler.class);
        if (handler == null) {
            return Mono.just(connection); // no proxy handler left: the tunnel is already up
        }
        return Mono.<Connection>create(sink -> handler.connectFuture().addListener(future -> {
                    if (future.isSuccess()) {
                        sink.success(connection);
                    } else {
                        connection.dispose();
                        sink.error(future.cause());
                    }
                }))
                .doOnCancel(connection::dispose);
    }

    /** Resolves a host name; resolution blocks, so it runs on {@link Schedulers#boundedElastic()}. */
    private static Mono<InetSocketAddress> resolve(String host, int port) {
        return Mono.fromCallable(() -> new InetSocketAddress(InetAddress.getByName(host), port))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * The destination address handed to the proxy: unresolved when the proxy resolves names (HTTP, SOCKS4a,
     * SOCKS5h), resolved here otherwise (SOCKS4 carries only an IPv4 address; SOCKS5 as curl's
     * {@code socks5://} means "resolve locally").
     */
    private static Mono<InetSocketAddress> destination(ProxyServer proxy, String host, int port) {
        if (proxy.type().resolvesRemotely()) {
            return Mono.just(InetSocketAddress.createUnresolved(host, port));
        }
        return resolve(host, port);
    }

    private static ProxyProvider.Builder configure(
            ProxyProvider.TypeSpec spec, ProxyServer proxy, InetSocketAddress address) {
        ProxyProvider.Proxy type =
                switch (proxy.type()) {
                    case HTTP -> ProxyProvider.Proxy.HTTP;
                    case SOCKS4, SOCKS4A -> ProxyProvider.Proxy.SOCKS4;
                    case SOCKS5, SOCKS5H -> ProxyProvider.Proxy.SOCKS5;
                };
        ProxyProvider.Builder builder = spec.type(type).socketAddress(address);
        if (proxy.username() != null) {
            String password = proxy.password() == null ? "" : proxy.password();
            builder = builder.username(proxy.username()).password(user -> password);
        }
        return builder;
    }

    /**
     * A {@link ProxyException} for a failed proxied connection: with the proxy's HTTP status when it
     * answered the {@code CONNECT} with one, and the failure as the cause, as JDK exceptions (an {@code
     * IOException} cause, such as a refused connection to the proxy, makes it retryable).
     */
    static ProxyException proxyError(ProxyServer proxy, String host, int port, Throwable error) {
        Throwable failure = Exceptions.unwrap(error);
        int status = -1;
        if (failure instanceof ProxyConnectException && failure.getMessage() != null) {
            Matcher matcher = PROXY_STATUS.matcher(failure.getMessage());
            if (matcher.find()) {
                status = Integer.parseInt(matcher.group(1));
            }
        }
        Throwable cause = ConnectErrors.jdk(failure);
        String target = authority(host, port);
        String what = status > 0
                ? "proxy " + proxy + " answered HTTP " + status + " to CONNECT " + target
                : "connecting to " + target + " through proxy " + proxy + " failed: " + ConnectErrors.reason(cause);
        return new ProxyException(status, what, cause);
    }

    /** {@code host:port}, an IPv6 address in brackets. */
    static String authority(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The address of a Unix domain socket for the transport Reactor Netty runs on: Netty's native epoll
     * transport (used when available) needs its own {@code DomainSocketAddress}; the NIO transport takes the
     * JDK's {@code UnixDomainSocketAddress} (Java 16+).
     */
    static SocketAddress unixSocketAddress(Path path) {
        return Epoll.isAvailable() ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
    }

    /**
     * Reactor Netty's TLS with this client's trust and keys, SNI for {@code host} and hostname verification
     * against it (RFC 6125), unless {@link TlsOptions#insecure()}.
     */
    static SslProvider sslProvider(TlsOptions tls, String host, int port) {
        SslContext context = tls.nettyContext(ClientTransport::buildSslContext);
        return SslProvider.builder()
                .sslContext(context)
                .handlerConfigurator(handler -> configureEngine(handler.engine(), tls, host))
                .build();
    }

    private static void configureEngine(SSLEngine engine, TlsOptions tls, String host) {
        SSLParameters parameters = engine.getSSLParameters();
        // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in "HostName"."
        if (NoProxyRules.ipLiteral(host.toLowerCase(Locale.ROOT)) == null) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        parameters.setEndpointIdentificationAlgorithm(tls.isInsecure() ? null : "HTTPS");
        engine.setSSLParameters(parameters);
    }

    private static SslContext buildSslContext(TlsOptions tls) {
        if (tls.sslContext() != null) {
            return new JdkSslContext(
                    tls.sslContext(),
                    true,
                    null,
                    IdentityCipherSuiteFilter.INSTANCE,
                    ApplicationProtocolConfig.DISABLED,
                    ClientAuth.NONE,
                    null,
                    false);
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (tls.isInsecure()) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            } else {
                builder.endpointIdentificationAlgorithm("HTTPS");
                if (tls.trustPem() != null) {
                    builder.trustManager(tls.trustPem().toFile());
                } else if (tls.trustManagerFactory() != null) {
                    builder.trustManager(tls.trustManagerFactory());
                }
            }
            if (tls.certificatePem() != null) {
                builder.keyManager(
                        tls.certificatePem().toFile(), tls.privateKeyPem().toFile());
            } else if (tls.keyManagerFactory() != null) {
                builder.keyManager(tls.keyManagerFactory());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            // A configuration error, not a network one: never retried (see ReconnectOptions.isRetryable).
            throw new IllegalArgumentException("cannot set up TLS with " + tls + ": " + e.getMessage(), e);
        }
    }
}
