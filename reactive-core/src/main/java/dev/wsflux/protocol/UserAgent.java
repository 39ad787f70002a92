package dev.wsflux.protocol;

/** The default {@code User-Agent} and {@code Server} header value: {@code wsflux/<version> Java/<version>}. */
final class UserAgent {
    /** {@code wsflux/0.1.0 Java/17}, or {@code wsflux Java/17} when the jar has no version. */
    static final String DEFAULT = build();

    private UserAgent() {}

    private static String build() {
        String version = Protocol.class.getPackage().getImplementationVersion();
        String product = version == null ? "wsflux" : "wsflux/" + version;
        return product + " Java/" + Runtime.version().feature();
    }
}
