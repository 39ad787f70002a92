package dev.wsflux.protocol.http11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link WebSocketKey}: the nonce and the accept value of RFC 6455 §1.3 and §4. */
class WebSocketKeyTest {
    private static final String RFC_REQUEST = "GET /chat HTTP/1.1\r\n"
            + "Host: server.example.com\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Origin: http://example.com\r\n"
            + "Sec-WebSocket-Protocol: chat, superchat\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    /** RFC 6455 §1.2, the server's handshake. */
    private static final String RFC_RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Protocol: chat\r\n"
            + "\r\n";

    /** RFC 6455 §1.3 and §4.2.2. */
    @Nested
    class Keys {
        @Test
        void acceptKeyMatchesTheRfc6455Example() {
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketKey.accept("dGhlIHNhbXBsZSBub25jZQ=="));
        }

        @Test
        void acceptKeyStartsAfreshOnEveryCallAndEveryThread() throws Exception {
            // The digest is reused: each call must hash its own key only. Second pair: the example of
            // Wikipedia's WebSocket article, computed independently.
            for (int i = 0; i < 3; i++) {
                assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketKey.accept("dGhlIHNhbXBsZSBub25jZQ=="));
                assertEquals("HSmrc0sMlYUkAGmm5OPpG2HaGWk=", WebSocketKey.accept("x3JJHMbDL1EzLkh9GBhXDw=="));
            }
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                assertEquals(
                        "HSmrc0sMlYUkAGmm5OPpG2HaGWk=",
                        other.submit(() -> WebSocketKey.accept("x3JJHMbDL1EzLkh9GBhXDw=="))
                                .get());
            } finally {
                other.shutdown();
            }
        }

        @Test
        void generatedKeysAreSixteenRandomBytesInBase64() {
            String key = WebSocketKey.generate(new Random(0));

            assertEquals(16, Base64.getDecoder().decode(key).length);
            assertTrue(WebSocketKey.isValid(key));
            assertEquals(key, WebSocketKey.generate(new Random(0)));
        }

        @Test
        void eachGeneratedKeyIsFresh() {
            Random random = new Random(0);

            assertNotEquals(WebSocketKey.generate(random), WebSocketKey.generate(random));
        }

        @Test
        void theRfcKeyIsValid() {
            assertTrue(WebSocketKey.isValid("dGhlIHNhbXBsZSBub25jZQ=="));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "", // empty
                    "dGhlIHNhbXBsZSBub25jZQ", // 16 bytes without padding
                    "dGhlIHNhbXBsZSBub25jZQ=", // one padding character
                    "dGhlIHNhbXBsZSBub25jZXM=", // 17 bytes
                    "dGhlIHNhbXBsZSBub25j", // 15 bytes
                    "dGhlIHNhbXBsZSBub25jZQ==AAAA", // 19 bytes
                    "dGhlIHNhbXBsZSBub25j!Q==", // a character outside the alphabet
                    "dGhlIHNhbXBsZSBub25j-Q==", // base64url, not base64
                    "dGhlIHNhbXBsZSBub25j=Q==", // padding in the middle
                })
        void malformedKeysAreInvalid(String key) {
            assertFalse(WebSocketKey.isValid(key));
        }

        @Test
        void aMissingKeyIsInvalid() {
            assertFalse(WebSocketKey.isValid(null));
        }
    }

    /** RFC 7230 §3: the wire form of requests and responses. */
    private static String text(ByteBuffer bytes) {
        return new String(toArray(bytes.duplicate()), StandardCharsets.ISO_8859_1);
    }

    private static byte[] toArray(ByteBuffer bytes) {
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return array;
    }
}
