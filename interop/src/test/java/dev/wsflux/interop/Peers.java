package dev.wsflux.interop;

import dev.wsflux.core.testing.PeerTools;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Where the peers live on a Debian machine, and the checks that skip a test whose peer is not installed, except on
 * CI ({@code CI=true}), which installs every one of them (see {@code interop/ci-packages.txt}): there a missing peer
 * fails the test, with the same message naming the Debian package, instead of letting it pass unrun. The rule is
 * {@link PeerTools}'s, shared by every module (and tested in {@code PeerToolsTest}). Stateless.
 */
final class Peers {
    /** Debian's Python, which sees the Debian packages (a pyenv {@code python3} on PATH would not). */
    static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Debian's Node.js. */
    static final Path NODE = Path.of("/usr/bin/node");

    /** Where Debian installs Node modules such as {@code ws} ({@code node-ws}). */
    static final Path NODE_PATH = Path.of("/usr/share/nodejs");

    /** Debian's nginx ({@code nginx-light}). */
    static final Path NGINX = Path.of("/usr/sbin/nginx");

    /** Debian's Chromium launcher. */
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private Peers() {}

    /** Skips the test (fails it on CI) unless {@code binary} exists and is executable. */
    static void assumeExecutable(Path binary, String debianPackage) {
        PeerTools.requireExecutable(binary, debianPackage);
    }

    /** Skips the test (fails it on CI) unless Debian's Python can run {@code check} (an import statement). */
    static void assumePython(String check, String debianPackages) {
        assumeExecutable(PYTHON, "python3");
        PeerTools.require(
                runs(PYTHON.toString(), "-c", check),
                "what /usr/bin/python3 needs for \"" + check + "\" (Debian packages " + debianPackages + ")");
    }

    /** Skips the test (fails it on CI) unless Node.js can load the {@code ws} module from {@link #NODE_PATH}. */
    static void assumeNodeWs() {
        assumeExecutable(NODE, "nodejs");
        PeerTools.require(
                Files.isRegularFile(NODE_PATH.resolve("ws/package.json")),
                NODE_PATH.resolve("ws") + " (Debian package node-ws)");
    }

    private static boolean runs(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The path of a peer script in {@code src/test/resources/peers}. */
    static Path script(String name) {
        URL url = Peers.class.getResource("/peers/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource /peers/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad resource url: " + url, e);
        }
    }
}
