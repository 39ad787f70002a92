package dev.wsflux.protocol.http11;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed {@code ws://} or {@code wss://} URI: where to connect and what to ask for.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>
 * ws-URI = "ws:" "//" host [ ":" port ] path [ "?" query ]
 * wss-URI = "wss:" "//" host [ ":" port ] path [ "?" query ]
 * </pre>
 *
 * <p>{@link #parse(String)} follows RFC 3986 and, like browsers, accepts a few things a user types:
 * surrounding whitespace is stripped, characters that aren't allowed in the path or query (spaces,
 * non-ASCII text, {@code "<>\^`{|}[]}) are percent-encoded as UTF-8, and a non-ASCII host name is
 * converted with IDNA ({@code bücher.example} becomes {@code xn--bcher-kva.example}). It rejects
 * control characters and malformed percent-encoding rather than guess. IPv6 zone identifiers (RFC
 * 6874) aren't supported.
 *
 * <p>{@link #toString()} leaves out the user info, so that logging a URI doesn't log a password.
 *
 * @param secure whether the scheme is {@code wss} (TLS)
 * @param host the host name or IP address; an IPv6 address without brackets, such as {@code ::1}
 * @param port the port, 80 or 443 when the URI has none
 * @param resourceName the request target of the handshake: path ({@code /} if empty) and
 *     {@code ?query} when the query isn't empty, percent-encoded
 * @param user the user name of the user info, percent-decoded, or {@code null}
 * @param password the password of the user info, percent-decoded, or {@code null}
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6455#section-3">RFC 6455 §3 WebSocket URIs</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3986#section-3">RFC 3986 §3 Syntax Components</a>
 */
public record WebSocketUri(boolean secure, String host, int port, String resourceName, String user, String password) {
    /** The port of {@code ws} URIs without one (RFC 6455 §3: "the default port is 80"). */
    public static final int DEFAULT_PORT = 80;

    /** The port of {@code wss} URIs without one (RFC 6455 §3: "the default port is 443"). */
    public static final int DEFAULT_SECURE_PORT = 443;

    /** RFC 3986 §2.3 unreserved and §2.2 sub-delims: what a reg-name holds besides pct-encoded. */
    private static final String REG_NAME_CHARS = "-._~!$&'()*+,;=";

    /** RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@"; path adds "/". */
    private static final String PATH_CHARS = REG_NAME_CHARS + ":@/";

    /** RFC 3986 §3.4: query = *( pchar / "/" / "?" ). */
    private static final String QUERY_CHARS = PATH_CHARS + "?";

    /**
     * Checks the components, so that every instance makes a valid request line and {@code Host}
     * header.
     *
     * @throws IllegalArgumentException if the host is empty, not an IPv6 address or a reg-name of
     *     ASCII characters; the port isn't within 1–65535; the resource name doesn't start with
     *     {@code /} or has a character outside a URI's path and query; a password is given without a
     *     user; or the credentials can't be sent with Basic authentication
     */
    public WebSocketUri {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(resourceName, "resourceName");
        if (host.indexOf(':') >= 0 ? !HttpSyntax.isIpv6(host) : !isRegName(host)) {
            throw new IllegalArgumentException("invalid host: " + HttpSyntax.printable(host));
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port: " + port);
        }
        if (!resourceName.startsWith("/") || !isEncoded(resourceName, QUERY_CHARS)) {
            throw new IllegalArgumentException("invalid resource name: " + HttpSyntax.printable(resourceName));
        }
        if (password != null && user == null) {
            throw new IllegalArgumentException("password without user");
        }
        String problem = user == null ? null : BasicCredentials.problem(user, password == null ? "" : password);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Parses a WebSocket URI.
     *
     * @param uri the URI, for example {@code "wss://user:pass@example.com:8443/chat?room=1"} or
     *     {@code "ws://[::1]:8080/"}
     * @return the parsed URI
     * @throws InvalidUriException if the scheme isn't {@code ws} or {@code wss} (case-insensitive),
     *     the host is missing or invalid, the port is invalid, the URI has a fragment, or a character
     *     or percent-encoding is invalid
     */
    public static WebSocketUri parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        String text = uri.strip();
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new InvalidUriException(
                    uri, colon < 0 ? "missing scheme" : "scheme isn't ws or wss: " + text.substring(0, colon));
        }
        // RFC 6455 §3: "Fragment identifiers are meaningless in the context of WebSocket URIs and MUST
        // NOT be used on these URIs. As with any URI scheme, the character "#", when not indicating
        // the start of a fragment, MUST be escaped as %23."
        int hash = text.indexOf('#');
        if (hash >= 0) {
            throw new InvalidUriException(uri, "fragment isn't allowed: " + text.substring(hash));
        }
        if (!text.startsWith("//", colon + 1)) {
            throw new InvalidUriException(uri, "missing host");
        }
        int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < text.length() && "/?".indexOf(text.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = text.substring(authorityStart, authorityEnd);
        String rest = text.substring(authorityEnd);

        // The last "@": an unescaped "@" in a password is a common mistake, and a host has none.
        int at = authority.lastIndexOf('@');
        String user = null;
        String password = null;
        if (at > 0) {
            String userInfo = authority.substring(0, at);
            int separator = userInfo.indexOf(':');
            user = decode(uri, separator < 0 ? userInfo : userInfo.substring(0, separator));
            password = separator < 0 ? null : decode(uri, userInfo.substring(separator + 1));
            String problem = BasicCredentials.problem(user, password == null ? "" : password);
            if (problem != null) {
                throw new InvalidUriException(uri, "user info can't be sent: " + problem);
            }
        }

        String hostPort = authority.substring(at + 1);
        String host;
        String portText;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            host = close < 0 ? "" : hostPort.substring(1, close);
            String after = close < 0 ? "" : hostPort.substring(close + 1);
            if (close < 0 || !HttpSyntax.isIpv6(host) || !(after.isEmpty() || after.startsWith(":"))) {
                throw new InvalidUriException(uri, "invalid IPv6 address: " + hostPort);
            }
            portText = after.isEmpty() ? "" : after.substring(1);
        } else {
            int portColon = hostPort.lastIndexOf(':');
            host = regName(uri, portColon < 0 ? hostPort : hostPort.substring(0, portColon));
            portText = portColon < 0 ? "" : hostPort.substring(portColon + 1);
        }
        boolean secure = scheme.equals("wss");
        int port = portText.isEmpty() ? (secure ? DEFAULT_SECURE_PORT : DEFAULT_PORT) : port(uri, portText);

        int question = rest.indexOf('?');
        String path = encode(uri, question < 0 ? rest : rest.substring(0, question), PATH_CHARS);
        String query = question < 0 ? "" : encode(uri, rest.substring(question + 1), QUERY_CHARS);
        // RFC 6455 §3: the resource name is "/" if the path component is empty, the path component,
        // "?" if the query component is non-empty, the query component.
        String resourceName = (path.isEmpty() ? "/" : path) + (query.isEmpty() ? "" : "?" + query);
        return new WebSocketUri(secure, host, port, resourceName, user, password);
    }

    /**
     * Parses a {@link URI} as a WebSocket URI: the same as {@code parse(uri.toString())}.
     *
     * @param uri the URI
     * @return the parsed URI
     * @throws InvalidUriException as {@link #parse(String)}
     */
    public static WebSocketUri of(URI uri) {
        return parse(uri.toString());
    }

    /** The port of the scheme when a URI has none: 443 for {@code wss}, 80 for {@code ws}. */
    public int defaultPort() {
        return secure ? DEFAULT_SECURE_PORT : DEFAULT_PORT;
    }

    /**
     * The {@code Host} header value: the host, in brackets if it is an IPv6 address, and
     * {@code ":port"} unless the port is the scheme's default.
     *
     * <p>RFC 6455 §4.1: "The request MUST contain a |Host| header field whose value contains /host/
     * plus optionally ":" followed by /port/ (when not using the default port)."
     *
     * @return for example {@code "example.com"} or {@code "[::1]:8080"}
     */
    public String hostHeader() {
        return authorityHost() + (port == defaultPort() ? "" : ":" + port);
    }

    /**
     * The {@code Authorization} value for the user info: Basic credentials (RFC 7617), with an empty
     * password when the URI has a user but no password.
     *
     * @return the header value, or {@code null} when the URI has no user info
     */
    public String authorization() {
        return user == null ? null : BasicCredentials.encode(user, password == null ? "" : password);
    }

    /**
     * This URI as a {@link URI}, without the user info.
     *
     * @return for example {@code wss://example.com/chat?room=1}
     */
    public URI toUri() {
        return URI.create((secure ? "wss" : "ws") + "://" + hostHeader() + resourceName);
    }

    /** The URI without the user info, as {@link #toUri()}; passwords stay out of logs. */
    @Override
    public String toString() {
        return toUri().toString();
    }

    private String authorityHost() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** A reg-name host: percent-decoded, then converted to ASCII with IDNA when it isn't ASCII. */
    private static String regName(String uri, String raw) {
        if (raw.isEmpty()) {
            throw new InvalidUriException(uri, "missing host");
        }
        String host = decode(uri, raw);
        if (!host.chars().allMatch(c -> c < 0x80)) {
            try {
                host = IDN.toASCII(host);
            } catch (IllegalArgumentException e) {
                throw new InvalidUriException(uri, "invalid internationalized host: " + raw);
            }
        }
        if (!isRegName(host)) {
            throw new InvalidUriException(uri, "invalid host: " + raw);
        }
        return host;
    }

    private static boolean isRegName(String host) {
        return !host.isEmpty() && host.chars().allMatch(c -> isAlphaNumeric(c) || REG_NAME_CHARS.indexOf(c) >= 0);
    }

    private static int port(String uri, String text) {
        int port = text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9') ? Integer.parseInt(text) : 0;
        if (port < 1 || port > 65535) {
            throw new InvalidUriException(uri, "invalid port: " + text);
        }
        return port;
    }

    /** Percent-encodes, as UTF-8, the characters that aren't allowed; keeps valid pct-encoded triplets. */
    private static String encode(String uri, String text, String allowed) {
        StringBuilder result = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c == '%') {
                if (!HttpSyntax.isPercentTriplet(text, i)) {
                    throw new InvalidUriException(uri, "invalid percent-encoding: " + text.substring(i));
                }
                result.append(text, i, i + 3);
                i += 3;
                continue;
            }
            if (c < 0x20 || c == 0x7f) {
                throw new InvalidUriException(uri, String.format(Locale.ROOT, "control character 0x%02x", c));
            }
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                throw new InvalidUriException(uri, "unpaired surrogate");
            }
            if (isAlphaNumeric(c) || (c < 0x80 && allowed.indexOf(c) >= 0)) {
                result.append((char) c);
            } else {
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    result.append(String.format(Locale.ROOT, "%%%02X", b & 0xff));
                }
            }
            i += Character.charCount(c);
        }
        return result.toString();
    }

    /** Whether every character is allowed or part of a pct-encoded triplet. */
    private static boolean isEncoded(String text, String allowed) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (!HttpSyntax.isPercentTriplet(text, i)) {
                    return false;
                }
                i += 2;
            } else if (!isAlphaNumeric(c) && !(c < 0x80 && allowed.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphaNumeric(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Percent-decodes UTF-8 (RFC 3986 §2.1); other characters are kept as they are. */
    private static String decode(String uri, String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c == '%') {
                if (!HttpSyntax.isPercentTriplet(text, i)) {
                    throw new InvalidUriException(uri, "invalid percent-encoding: " + text.substring(i));
                }
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                int next = text.indexOf('%', i);
                int end = next < 0 ? text.length() : next;
                bytes.writeBytes(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidUriException(uri, "percent-encoding isn't UTF-8: " + text);
        }
    }
}
