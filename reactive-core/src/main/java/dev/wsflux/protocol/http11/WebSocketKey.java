package dev.wsflux.protocol.http11;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Random;

/**
 * The {@code Sec-WebSocket-Key} and {@code Sec-WebSocket-Accept} values of the opening handshake
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.1">RFC 6455 §4.1</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2">§4.2.2</a>). Thread-safe: it keeps one
 * SHA-1 digest per thread, reset after each use.
 */
public final class WebSocketKey {
    /**
     * The GUID that the server appends to the key before hashing it (RFC 6455 §1.3): "a Globally
     * Unique Identifier (GUID, [RFC4122]) in string form", the same for every WebSocket connection.
     */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The bytes of {@link #GUID}, hashed after the key's. */
    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.ISO_8859_1);

    /**
     * A SHA-1 digest per thread, for {@link #accept}: {@link MessageDigest#getInstance(String)} searches
     * the security providers on every call, which costs more than hashing a key; {@link MessageDigest#digest}
     * resets the digest for its next use. The threads that run handshakes are few (event loops).
     */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(WebSocketKey::newSha1);

    /** RFC 6455 §4.1: the key "MUST be a nonce consisting of a randomly selected 16-byte value". */
    private static final int KEY_BYTES = 16;

    /** Base64 of 16 bytes: 16 = 5 × 3 + 1, so 5 × 4 characters, then 2 characters and "==". */
    private static final int KEY_CHARS = 24;

    private static final String BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private WebSocketKey() {}

    /**
     * A fresh {@code Sec-WebSocket-Key}: 16 random bytes, base64-encoded.
     *
     * <p>RFC 6455 §4.1: "The nonce MUST be selected randomly for each connection." Pass a
     * {@link java.security.SecureRandom}; tests may pass a seeded {@link Random}.
     *
     * @param random the source of the nonce
     * @return the key, 24 characters
     */
    public static String generate(Random random) {
        byte[] nonce = new byte[KEY_BYTES];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * The {@code Sec-WebSocket-Accept} value for a key: base64(SHA-1(key + {@link #GUID})).
     *
     * <p>RFC 6455 §4.2.2: "concatenate this [key] with the Globally Unique Identifier ... take the
     * SHA-1 hash of this concatenated value to obtain a 20-byte value and base64-encode ... this
     * 20-byte hash." For example {@code accept("dGhlIHNhbXBsZSBub25jZQ==")} is
     * {@code "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="}.
     *
     * @param key the {@code Sec-WebSocket-Key} value as received (its characters are its bytes)
     * @return the {@code Sec-WebSocket-Accept} value
     */
    public static String accept(String key) {
        MessageDigest sha1 = SHA1.get();
        // Hashing the key's bytes then the GUID's is hashing their concatenation, without making it.
        sha1.update(key.getBytes(StandardCharsets.ISO_8859_1));
        return Base64.getEncoder().encodeToString(sha1.digest(GUID_BYTES));
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            // MessageDigest: "Every implementation of the Java platform is required to support SHA-1".
            throw new IllegalStateException("sha-1 is not available", e);
        }
    }

    /**
     * Whether a received {@code Sec-WebSocket-Key} is valid: the base64 encoding (with padding) of
     * exactly 16 bytes.
     *
     * <p>RFC 6455 §4.2.1: the request contains "A |Sec-WebSocket-Key| header field with a
     * base64-encoded (see Section 4 of [RFC4648]) value that, when decoded, is 16 bytes in length."
     *
     * @param key the header value, or {@code null} when the header is missing
     * @return {@code true} when the key is valid
     */
    public static boolean isValid(String key) {
        if (key == null || key.length() != KEY_CHARS || !key.endsWith("==")) {
            return false;
        }
        for (int i = 0; i < KEY_CHARS - 2; i++) {
            if (BASE64_ALPHABET.indexOf(key.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
