package dev.wsflux.protocol.http11;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * Basic authentication credentials (<a href="https://www.rfc-editor.org/rfc/rfc7617">RFC 7617</a>): the one
 * encoder and the one parser of {@code Authorization: Basic …} values, for clients and servers. Stateless;
 * thread-safe.
 */
public final class BasicCredentials {
    private BasicCredentials() {}

    /**
     * An {@code Authorization} value with Basic credentials: {@code "Basic " + base64(user ":"
     * password)}, the credentials encoded as UTF-8.
     *
     * <p>RFC 7617 §2: "a user-id containing a colon character is invalid" and "The user-id and password
     * MUST NOT contain any control characters".
     *
     * @param user the user-id
     * @param password the password
     * @return the header value
     * @throws IllegalArgumentException if the user-id has a colon, or either has a control character
     */
    public static String encode(String user, String password) {
        String problem = problem(Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password"));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        byte[] credentials = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(credentials);
    }

    /**
     * The user-id and password of a Basic {@code Authorization} value.
     *
     * <p>The scheme name is case-insensitive (RFC 7617 §2); the credentials are base64 of UTF-8.
     *
     * @param value the header value, or {@code null}
     * @return (user-id, password), or {@code null} when the value is missing, uses another scheme, or
     *     isn't valid base64 of UTF-8 text with a colon
     */
    public static Map.Entry<String, String> parse(String value) {
        if (value == null) {
            return null;
        }
        // Optional whitespace around the field value is not part of it (RFC 7230 §3.2.4).
        value = value.strip();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Basic")) {
            return null;
        }
        String text;
        try {
            byte[] credentials =
                    Base64.getDecoder().decode(value.substring(space + 1).strip());
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(credentials))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
        int colon = text.indexOf(':');
        return colon < 0 ? null : Map.entry(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * Why credentials cannot be sent with Basic authentication, or {@code null} when they can.
     *
     * @param user the user-id
     * @param password the password
     * @return the problem, or {@code null}
     */
    public static String problem(String user, String password) {
        if (user.indexOf(':') >= 0) {
            return "user-id contains a colon: " + HttpSyntax.printable(user);
        }
        if (hasControl(user) || hasControl(password)) {
            return "credentials contain a control character";
        }
        return null;
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c < 0xa0));
    }
}
