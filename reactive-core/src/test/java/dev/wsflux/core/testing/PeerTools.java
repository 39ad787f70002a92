package dev.wsflux.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need a peer or a tool installed on the machine (Python {@code websockets},
 * {@code openssl}, {@code nginx}…): on a developer's machine without it the test is skipped with a message
 * naming the Debian package; in CI ({@code CI=true}, which {@code .ci/run} exports) it fails instead, so that a
 * missing install step can never keep CI green by skipping.
 */
public final class PeerTools {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private PeerTools() {}

    /** Whether this run is CI, where a missing peer is a failure, not a skip. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips (or, in CI, fails) unless {@code available}.
     *
     * @param available whether the peer is there
     * @param what the peer and how to install it, for the message
     */
    public static void require(boolean available, String what) {
        require(available, what, inCi());
    }

    /**
     * Skips (or, when {@code ci}, fails) unless {@code available}: {@link #require(boolean, String)} with the CI flag
     * given rather than read from the environment, so that the rule itself can be tested.
     *
     * @param available whether the peer is there
     * @param what the peer and how to install it, for the message
     * @param ci whether a missing peer is a failure
     */
    public static void require(boolean available, String what, boolean ci) {
        if (available) {
            return;
        }
        String message = what + " is not installed";
        if (ci) {
            throw new AssertionError(message + ", and CI=true: .ci/run must install it");
        }
        Assumptions.abort(message + ": skipping (CI=true makes this a failure)");
    }

    /**
     * Requires {@code /usr/bin/python3} able to import {@code module}.
     *
     * @param module a Python module, such as {@code websockets}
     */
    public static void requirePython(String module) {
        boolean available = false;
        if (Files.isExecutable(PYTHON)) {
            try {
                Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import " + module)
                        .redirectErrorStream(true)
                        .start();
                available = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
            } catch (java.io.IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        require(available, "the Python module " + module + " (Debian package python3-" + module + ")");
    }

    /**
     * Requires an executable file.
     *
     * @param path the program, such as {@code /usr/bin/openssl}
     * @param debianPackage the package that installs it
     */
    public static void requireExecutable(Path path, String debianPackage) {
        require(Files.isExecutable(path), path + " (Debian package " + debianPackage + ")");
    }
}
