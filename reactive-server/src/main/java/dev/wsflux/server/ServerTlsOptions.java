package dev.wsflux.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * A server's TLS set-up, for {@link WebSocketServer#tls(ServerTlsOptions)}: the server's certificate chain
 * and private key, from PEM files or a JDK {@code SSLContext}. The counterpart of the client's
 * {@code TlsOptions}. Immutable; thread-safe.
 */
public final class ServerTlsOptions {
    private final SslContext context;

    private ServerTlsOptions(SslContext context) {
        this.context = context;
    }

    /**
     * From PEM files: the certificate chain (leaf first) and a PKCS#8 private key.
     *
     * @param certificateChain the PEM certificate chain
     * @param privateKey the PEM PKCS#8 private key
     * @return the options
     * @throws IllegalArgumentException if a file cannot be read or does not hold what it should
     */
    public static ServerTlsOptions pem(Path certificateChain, Path privateKey) {
        if (!Files.isReadable(certificateChain)) {
            throw new IllegalArgumentException("certificate chain file is not readable: " + certificateChain);
        }
        if (!Files.isReadable(privateKey)) {
            throw new IllegalArgumentException("private key file is not readable: " + privateKey);
        }
        try {
            return new ServerTlsOptions(SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                    .build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot load TLS certificate " + certificateChain + " and key " + privateKey + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * From a JDK context that holds the server's key and certificate.
     *
     * @param context the context
     * @return the options
     */
    public static ServerTlsOptions of(SSLContext context) {
        java.util.Objects.requireNonNull(context, "context");
        return new ServerTlsOptions(new JdkSslContext(
                context, false, null, IdentityCipherSuiteFilter.INSTANCE, null, ClientAuth.NONE, null, false));
    }

    /** Netty's context for Reactor Netty's {@code SslProvider}; never handed to users. */
    SslContext sslContext() {
        return context;
    }
}
