package dev.wsflux.protocol.http11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link BasicCredentials} (RFC 7617). */
class BasicCredentialsTest {
    @Nested
    class BasicAuthentication {
        @Test
        void encodesTheRfc7617Example() {
            assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", BasicCredentials.encode("Aladdin", "open sesame"));
        }

        @Test
        void encodesCredentialsAsUtf8() {
            // RFC 7617 §2.1: "test" and "123£" give "dGVzdDoxMjPCow==".
            assertEquals("Basic dGVzdDoxMjPCow==", BasicCredentials.encode("test", "123\u00a3"));
        }

        @Test
        void allowsAColonInThePasswordButNotInTheUser() {
            assertEquals(Map.entry("user", "pa:ss"), BasicCredentials.parse(BasicCredentials.encode("user", "pa:ss")));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> BasicCredentials.encode("us:er", "x"));
            assertEquals("user-id contains a colon: us:er", e.getMessage());
        }

        @Test
        void refusesControlCharacters() {
            assertThrows(IllegalArgumentException.class, () -> BasicCredentials.encode("user\n", "x"));
            assertThrows(IllegalArgumentException.class, () -> BasicCredentials.encode("user", "x\u0085"));
            assertThrows(IllegalArgumentException.class, () -> BasicCredentials.encode("user", "x\u007f"));
        }

        @Test
        void parsesCredentialsWithAnySchemeCase() {
            assertEquals(
                    Map.entry("Aladdin", "open sesame"), BasicCredentials.parse("basic  QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
            assertEquals(Map.entry("test", "123\u00a3"), BasicCredentials.parse("BASIC dGVzdDoxMjPCow=="));
            assertEquals(Map.entry("", ""), BasicCredentials.parse("Basic Og==")); // ":"
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "Basic", // no credentials
                    "Basic ", // empty credentials
                    "Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==", // another scheme
                    "Basic QWxhZGRpbg==", // "Aladdin": no colon
                    "Basic QWxh!GRpbjpvcGVuIHNlc2FtZQ==", // not base64
                    "Basic /zo=", // 0xff ':' is not UTF-8
                })
        void returnsNullForAnythingElse(String value) {
            assertNull(BasicCredentials.parse(value));
        }

        @Test
        void returnsNullWithoutHeader() {
            assertNull(BasicCredentials.parse(null));
        }
    }

    private static String text(ByteBuffer bytes) {
        return new String(toArray(bytes.duplicate()), StandardCharsets.ISO_8859_1);
    }

    private static byte[] toArray(ByteBuffer bytes) {
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return array;
    }
}
