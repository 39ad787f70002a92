package dev.wsflux.protocol.http11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The handshake response record (RFC 6455 §4.2.2). */
class ResponseTest {

    private static Response response(int status, String reason, Headers headers, String body) {
        return new Response(status, reason, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static final Headers CLOSE = Headers.of("Connection", "close");

    @Nested
    class Equality {
        @Test
        void responsesWithTheSameContentAreEqualEvenWithDistinctBodyArrays() {
            Response a = response(403, "Forbidden", CLOSE, "no");
            Response b = response(403, "Forbidden", Headers.of("connection", "close"), "no");
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
        }

        @Test
        void eachComponentTakesPartInEquality() {
            Response base = response(403, "Forbidden", CLOSE, "no");
            assertNotEquals(base, response(404, "Forbidden", CLOSE, "no"));
            assertNotEquals(base, response(403, "Not Found", CLOSE, "no"));
            assertNotEquals(base, response(403, "Forbidden", Headers.empty(), "no"));
            assertNotEquals(base, response(403, "Forbidden", CLOSE, "No"));
        }

        @Test
        void aResponseIsNeverEqualToAnotherType() {
            assertNotEquals(response(101, "Switching Protocols", Headers.empty(), ""), "101");
        }
    }

    @Test
    void theBodyDecodesAsUtf8() {
        assertEquals(
                "café", response(400, "Bad Request", Headers.empty(), "café").bodyText());
    }

    @Test
    void toStringSummarizesWithoutDumpingTheBody() {
        assertEquals(
                "Response[403 Forbidden, 1 headers, 3 bytes]",
                response(403, "Forbidden", CLOSE, "no!").toString());
    }

    @Test
    void everyComponentIsRequired() {
        assertThrows(NullPointerException.class, () -> new Response(200, null, Headers.empty(), new byte[0]));
        assertThrows(NullPointerException.class, () -> new Response(200, "OK", null, new byte[0]));
        assertThrows(NullPointerException.class, () -> new Response(200, "OK", Headers.empty(), null));
    }
}
