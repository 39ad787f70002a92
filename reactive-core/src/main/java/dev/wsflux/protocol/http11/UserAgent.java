package dev.wsflux.protocol.http11;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The default {@code User-Agent} (client) and {@code Server} (server) header value:
 * {@code wsflux/<version> Java/<feature.interim.update>}, e.g. {@code wsflux/0.1.0 Java/17.0.15}.
 *
 * <p>The library version comes from a resource filtered by the build, so it is right in tests and in
 * jars alike.
 */
public final class UserAgent {
    /** The library version, or {@code "unknown"} when the resource is missing. */
    public static final String VERSION = readVersion();

    /** {@code wsflux/<version> Java/<version>}. */
    public static final String DEFAULT = "wsflux/" + VERSION + " Java/" + javaVersion();

    private UserAgent() {}

    private static String readVersion() {
        try (InputStream in = UserAgent.class.getResourceAsStream("wsflux.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "");
                if (!version.isEmpty() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // The version is informative only.
        }
        return "unknown";
    }

    private static String javaVersion() {
        Runtime.Version version = Runtime.version();
        return version.feature() + "." + version.interim() + "." + version.update();
    }
}
