package dev.wsflux.conformance;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The start line and headers of an HTTP/1.1 upgrade request or response, as the conformance peer reads them
 * (header names lower-cased, repeated headers joined with {@code ", "}). Immutable.
 *
 * <p>See <a href="https://www.rfc-editor.org/rfc/rfc6455#section-4">RFC 6455 §4</a>.
 *
 * @param startLine the request line or status line
 * @param headers the headers, keys lower-case
 */
public record HttpHead(String startLine, Map<String, String> headers) {

    /** RFC 6455 §1.3: the GUID concatenated to the key before hashing. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** Upper bound of a handshake head: the peer's own limit, far above any real handshake. */
    private static final int MAX_HEAD = 16 * 1024;

    /** Reads a head up to and including the blank line; the stream is left at the first frame byte. */
    public static HttpHead read(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        while (text.length() < 4 || !text.substring(text.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake after: " + text);
            }
            text.append((char) b);
            if (text.length() > MAX_HEAD) {
                throw new IOException("handshake head longer than " + MAX_HEAD + " bytes");
            }
        }
        String[] lines = text.toString().split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + lines[i]);
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new HttpHead(lines[0], headers);
    }

    /** A header value, or {@code null}. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Whether a comma-separated header contains a token, case-insensitively. */
    public boolean headerHasToken(String name, String token) {
        String value = header(name);
        if (value == null) {
            return false;
        }
        for (String part : value.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 6455 §4.2.2: base64(SHA-1(key + GUID)). */
    public static String acceptFor(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(startLine);
        headers.forEach((k, v) -> text.append(" | ").append(k).append(": ").append(v));
        return text.toString();
    }
}
