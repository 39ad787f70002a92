package dev.wsflux.client;

import dev.wsflux.core.testing.PeerTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates generated at test time with {@code openssl} (Debian package openssl). */
final class TestCertificates {
    /** A PEM certificate and its PEM PKCS#8 private key. */
    record Pair(Path certificate, Path privateKey) {}

    private TestCertificates() {}

    /**
     * A fresh self-signed certificate for {@code subjectAltNames} (e.g. {@code IP:127.0.0.1,DNS:localhost}),
     * valid for one day.
     */
    static Pair selfSigned(Path dir, String name, String subjectAltNames) throws IOException, InterruptedException {
        Path openssl = Path.of("/usr/bin/openssl");
        PeerTools.requireExecutable(openssl, "openssl");
        Path certificate = dir.resolve(name + ".crt.pem");
        Path key = dir.resolve(name + ".key.pem");
        Process process = new ProcessBuilder(
                        openssl.toString(),
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=wsflux test " + name,
                        "-addext",
                        "subjectAltName=" + subjectAltNames,
                        "-keyout",
                        key.toString(),
                        "-out",
                        certificate.toString())
                .redirectErrorStream(true)
                .start();
        boolean done = process.waitFor(60, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("openssl failed: " + output);
        }
        return new Pair(certificate, key);
    }
}
