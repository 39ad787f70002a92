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
 * The server's TLS setup, kept as JDK types in the API and turned into Netty's {@code SslContext} for
 * Reactor Netty's {@code SslProvider} here. Immutable.
 */
final class ServerTls {
    private final SslContext context;

    private ServerTls(SslContext context) {
        this.context = context;
    }

    /** From PEM files: the certificate chain (leaf first) and a PKCS#8 private key. */
    static ServerTls pem(Path certificateChain, Path privateKey) {
        if (!Files.isReadable(certificateChain)) {
            throw new IllegalArgumentException("certificate chain file is not readable: " + certificateChain);
        }
        if (!Files.isReadable(privateKey)) {
            throw new IllegalArgumentException("private key file is not readable: " + privateKey);
        }
        try {
            return new ServerTls(SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                    .build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot load TLS certificate " + certificateChain + " and key " + privateKey + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** From a JDK context that holds the server's key and certificate. */
    static ServerTls jdk(SSLContext context) {
        java.util.Objects.requireNonNull(context, "context");
        return new ServerTls(new JdkSslContext(
                context, false, null, IdentityCipherSuiteFilter.INSTANCE, null, ClientAuth.NONE, null, false));
    }

    SslContext sslContext() {
        return context;
    }
}
