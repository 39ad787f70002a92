package dev.wsflux.interop;

import dev.wsflux.core.SessionOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The messages every pair exchanges, shared with the peer scripts in {@code src/test/resources/peers} (which
 * build the same values): text with 2-, 3- and 4-byte UTF-8, binary with every high-bit pattern, a compressible
 * 1 MiB binary message, and a text message sent in three fragments; and, on the connection {@code conn=maxsize},
 * incompressible messages of exactly {@link #MAX_SIZE} bytes and of one byte more. Stateless.
 */
final class Scenario {
    /** The subprotocol both sides support; the client also offers an unknown one first. */
    static final String SUBPROTOCOL = "echo.v1";

    /** A text message: "héllo, wsflux ✓ 🚀". */
    static final String TEXT = "h\u00e9llo, wsflux \u2713 \ud83d\ude80";

    /** A binary message: 00 01 02 7f 80 fe ff. */
    static final byte[] BINARY = {0x00, 0x01, 0x02, 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff};

    /** The fragments of the fragmented text message, and the whole message. */
    static final String[] FRAGMENTS = {"frag-", "ment-", "ed \u2713"};

    /** The three fragments joined: what the receiver must see as one message. */
    static final String FRAGMENTED = String.join("", FRAGMENTS);

    /** 1 MiB, the default {@code maxSize}: byte i is i mod 251, so deflate shrinks it to a few KiB. */
    static final int BIG_SIZE = 1 << 20;

    /** The Ping payload the clients send. */
    static final String PING_PAYLOAD = "ping-1";

    /** The text that makes the echo side ping back before answering {@link #PING_ANSWER}. */
    static final String PING_REQUEST = "ping-me";

    /** The echo side's answer once its own Ping was answered by a Pong. */
    static final String PING_ANSWER = "pong-received";

    /** The close reason a client sends; the server's one is {@link #SERVER_REASON}. */
    static final String CLIENT_REASON = "client bye";

    /** The close reason of a server-initiated close. */
    static final String SERVER_REASON = "server bye";

    /** The wire bytes below which a 1 MiB message counts as compressed (a quarter of its size). */
    static final long COMPRESSED_LIMIT = BIG_SIZE / 4;

    /**
     * The default {@code maxSize} of our client and server, 1 MiB "after decompression": on {@code conn=maxsize}
     * each side sends a message of exactly this many random bytes, which DEFLATE makes larger, then one of a byte
     * more, which the receiver must refuse with 1009 (the peer scripts use the same number).
     */
    static final int MAX_SIZE = (int) SessionOptions.DEFAULT_MAX_SIZE;

    private Scenario() {}

    /** The 1 MiB message. */
    static byte[] big() {
        byte[] bytes = new byte[BIG_SIZE];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    /** {@code length} random bytes, which DEFLATE cannot shrink: a new value each call. */
    static byte[] incompressible(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** Lower-case hex. */
    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Lower-case hex of the UTF-8 bytes of {@code text}. */
    static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** How the peers report a big message: {@code <length>:<sha-256 hex>}. */
    static String digest(byte[] bytes) {
        try {
            return bytes.length + ":" + hex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }
}
