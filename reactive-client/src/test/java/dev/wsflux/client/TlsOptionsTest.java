package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class TlsOptionsTest {
    @Test
    void defaultsVerifyWithTheJdkTrustStore() {
        TlsOptions defaults = TlsOptions.defaults();
        assertFalse(defaults.isInsecure());
        assertNull(defaults.trustPem());
        assertNull(defaults.trustManagerFactory());
        assertNull(defaults.sslContext());
        assertEquals("TlsOptions[trust=jdk, clientCertificate=none]", defaults.toString());
    }

    @Test
    void insecureIsExplicit() {
        assertTrue(TlsOptions.insecure().isInsecure());
        assertEquals("TlsOptions[insecure]", TlsOptions.insecure().toString());
        assertFalse(TlsOptions.insecure().trustPem(Path.of("ca.pem")).isInsecure());
    }

    @Test
    void trustSourcesReplaceEachOther() throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        TlsOptions pem = TlsOptions.defaults().trustPem(Path.of("ca.pem"));
        assertEquals(Path.of("ca.pem"), pem.trustPem());
        TlsOptions custom = pem.trustManagers(factory);
        assertNull(custom.trustPem());
        assertSame(factory, custom.trustManagerFactory());
        assertEquals("TlsOptions[trust=custom, clientCertificate=none]", custom.toString());
    }

    @Test
    void clientCertificatesReplaceEachOther() throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        TlsOptions files = TlsOptions.defaults().clientCertificate(Path.of("me.pem"), Path.of("me.key"));
        assertEquals(Path.of("me.pem"), files.certificatePem());
        assertEquals(Path.of("me.key"), files.privateKeyPem());
        assertEquals("TlsOptions[trust=jdk, clientCertificate=me.pem]", files.toString());
        TlsOptions custom = files.keyManagers(factory);
        assertNull(custom.certificatePem());
        assertSame(factory, custom.keyManagerFactory());
        assertEquals("TlsOptions[trust=jdk, clientCertificate=custom]", custom.toString());
    }

    @Test
    void wrapsAJdkSslContext() throws Exception {
        SSLContext context = SSLContext.getDefault();
        TlsOptions options = TlsOptions.of(context);
        assertSame(context, options.sslContext());
        assertFalse(options.isInsecure());
        assertTrue(options.toString().startsWith("TlsOptions[sslContext="), options.toString());
    }
}
