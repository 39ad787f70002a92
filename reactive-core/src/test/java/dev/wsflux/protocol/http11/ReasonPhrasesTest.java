package dev.wsflux.protocol.http11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ReasonPhrases}. */
class ReasonPhrasesTest {
    @Nested
    class Phrases {
        @ParameterizedTest
        @CsvSource({
            "101, Switching Protocols",
            "200, OK",
            "301, Moved Permanently",
            "400, Bad Request",
            "401, Unauthorized",
            "403, Forbidden",
            "404, Not Found",
            "405, Method Not Allowed",
            "413, Content Too Large",
            "414, URI Too Long",
            "426, Upgrade Required",
            "431, Request Header Fields Too Large",
            "500, Internal Server Error",
            "502, Bad Gateway",
            "503, Service Unavailable",
            "505, HTTP Version Not Supported",
        })
        void areTheRegisteredPhrases(int status, String phrase) {
            assertEquals(phrase, ReasonPhrases.of(status));
        }

        @Test
        void everyCommonStatusHasAPhrase() {
            int[] statuses = {
                100, 101, 103, 200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304, 305, 307, 308, 400,
                401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422,
                426, 428, 429, 431, 500, 501, 502, 503, 504, 505, 511
            };
            for (int status : statuses) {
                assertFalse(ReasonPhrases.of(status).isEmpty(), String.valueOf(status));
            }
        }

        @Test
        void isEmptyForAnUnregisteredStatus() {
            assertEquals("", ReasonPhrases.of(599));
        }
    }

    /** RFC 7230 §7: comma-separated lists, here Connection. */
    private static String text(ByteBuffer bytes) {
        return new String(toArray(bytes.duplicate()), StandardCharsets.ISO_8859_1);
    }

    private static byte[] toArray(ByteBuffer bytes) {
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return array;
    }
}
