package dev.wsflux.client;

import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the client sets up TLS for {@code wss://} URIs. Immutable: each method returns a copy.
 *
 * <p>The default ({@link #defaults()}) trusts the JDK's CA certificates, sends SNI and verifies that the
 * server's certificate matches the URI's host (RFC 6125, the {@code HTTPS} endpoint identification of
 * the JDK). The options change where trust comes from and add a client certificate. Only
 * {@link #insecure()} turns verification off; it exists for tests and tools ({@code wsdump -n}) and is
 * never the default.
 *
 * <pre>{@code
 * TlsOptions.defaults().trustPem(Path.of("ca.pem"))                 // a private CA
 * TlsOptions.defaults().clientCertificate(Path.of("me.pem"), Path.of("me.key"))  // mutual TLS
 * TlsOptions.of(sslContext)                                         // a JDK SSLContext, as is
 * }</pre>
 */
public final class TlsOptions {
    private static final TlsOptions DEFAULTS = new TlsOptions(null, null, null, null, null, null, false);

    private final Path trustPem;
    private final TrustManagerFactory trustManagers;
    private final Path certificatePem;
    private final Path privateKeyPem;
    private final KeyManagerFactory keyManagers;
    private final SSLContext sslContext;
    private final boolean insecure;
    /** Netty's context, built on first use from these options and kept with them (building reads files). */
    private volatile io.netty.handler.ssl.SslContext nettyContext;

    private TlsOptions(
            Path trustPem,
            TrustManagerFactory trustManagers,
            Path certificatePem,
            Path privateKeyPem,
            KeyManagerFactory keyManagers,
            SSLContext sslContext,
            boolean insecure) {
        this.trustPem = trustPem;
        this.trustManagers = trustManagers;
        this.certificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
        this.keyManagers = keyManagers;
        this.sslContext = sslContext;
        this.insecure = insecure;
    }

    /** The JDK's trusted CAs, SNI and hostname verification. */
    public static TlsOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Trusts any certificate and skips hostname verification. Anyone on the network path can then read
     * and change the traffic: use it only to test against a server with a throw-away certificate.
     */
    public static TlsOptions insecure() {
        return new TlsOptions(null, null, null, null, null, null, true);
    }

    /**
     * Uses a JDK {@link SSLContext} for trust and keys. SNI and hostname verification still apply: they
     * are set on each connection's {@code SSLEngine}.
     */
    public static TlsOptions of(SSLContext sslContext) {
        return new TlsOptions(null, null, null, null, null, Objects.requireNonNull(sslContext, "sslContext"), false);
    }

    /** Trusts the CA certificates of a PEM file (one or more {@code CERTIFICATE} blocks) instead of the JDK's. */
    public TlsOptions trustPem(Path caCertificates) {
        return new TlsOptions(
                Objects.requireNonNull(caCertificates, "caCertificates"),
                null,
                certificatePem,
                privateKeyPem,
                keyManagers,
                null,
                false);
    }

    /** Takes trust decisions from {@code trustManagers} instead of the JDK's CAs. */
    public TlsOptions trustManagers(TrustManagerFactory trustManagers) {
        return new TlsOptions(
                null,
                Objects.requireNonNull(trustManagers, "trustManagers"),
                certificatePem,
                privateKeyPem,
                keyManagers,
                null,
                false);
    }

    /**
     * Presents a client certificate: a PEM certificate chain and its PEM PKCS#8 private key (unencrypted,
     * {@code -----BEGIN PRIVATE KEY-----}).
     */
    public TlsOptions clientCertificate(Path certificateChain, Path privateKey) {
        return new TlsOptions(
                trustPem,
                trustManagers,
                Objects.requireNonNull(certificateChain, "certificateChain"),
                Objects.requireNonNull(privateKey, "privateKey"),
                null,
                null,
                insecure);
    }

    /** Presents the client certificate of {@code keyManagers}. */
    public TlsOptions keyManagers(KeyManagerFactory keyManagers) {
        return new TlsOptions(
                trustPem,
                trustManagers,
                null,
                null,
                Objects.requireNonNull(keyManagers, "keyManagers"),
                null,
                insecure);
    }

    /** Whether certificate and hostname verification are off ({@link #insecure()}). */
    public boolean isInsecure() {
        return insecure;
    }

    Path trustPem() {
        return trustPem;
    }

    TrustManagerFactory trustManagerFactory() {
        return trustManagers;
    }

    Path certificatePem() {
        return certificatePem;
    }

    Path privateKeyPem() {
        return privateKeyPem;
    }

    KeyManagerFactory keyManagerFactory() {
        return keyManagers;
    }

    SSLContext sslContext() {
        return sslContext;
    }

    @Override
    public String toString() {
        if (insecure) {
            return "TlsOptions[insecure]";
        }
        if (sslContext != null) {
            return "TlsOptions[sslContext=" + sslContext.getProtocol() + "]";
        }
        return "TlsOptions[trust=" + (trustPem != null ? trustPem : trustManagers != null ? "custom" : "jdk")
                + ", clientCertificate="
                + (certificatePem != null ? certificatePem : keyManagers != null ? "custom" : "none")
                + "]";
    }

    /** The Netty context of these options, built once (racing callers may build it twice; both are equal). */
    io.netty.handler.ssl.SslContext nettyContext(
            java.util.function.Function<TlsOptions, io.netty.handler.ssl.SslContext> build) {
        io.netty.handler.ssl.SslContext context = nettyContext;
        if (context == null) {
            context = build.apply(this);
            nettyContext = context;
        }
        return context;
    }
}
