package dev.wsflux.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** HTTP headers: an ordered multimap with case-insensitive names (RFC 7230 §3.2). */
class HeadersTest {

    @Nested
    class Lookup {
        private final Headers headers = Headers.of(
                "Host", "example.com",
                "Sec-WebSocket-Extensions", "permessage-deflate",
                "sec-websocket-extensions", "x-test");

        @Test
        void namesMatchWhateverTheirCase() {
            // RFC 7230 §3.2: "Each header field consists of a case-insensitive field name"
            assertEquals("example.com", headers.get("HOST"));
            assertEquals(Optional.of("example.com"), headers.first("host"));
            assertTrue(headers.contains("hOsT"));
        }

        @Test
        void allReturnsEveryValueInOrderAndGetTheFirst() {
            assertEquals(List.of("permessage-deflate", "x-test"), headers.all("SEC-WEBSOCKET-EXTENSIONS"));
            assertEquals("permessage-deflate", headers.get("Sec-WebSocket-Extensions"));
        }

        @Test
        void anAbsentNameHasNoValue() {
            assertNull(headers.get("Origin"));
            assertEquals(Optional.empty(), headers.first("Origin"));
            assertEquals(List.of(), headers.all("Origin"));
            assertFalse(headers.contains("Origin"));
        }

        @Test
        void entriesKeepOrderAndSpelling() {
            assertEquals(
                    List.of(
                            Map.entry("Host", "example.com"),
                            Map.entry("Sec-WebSocket-Extensions", "permessage-deflate"),
                            Map.entry("sec-websocket-extensions", "x-test")),
                    headers.entries());
            assertEquals(3, headers.size());
            assertFalse(headers.isEmpty());
        }

        @Test
        void entriesCannotBeModified() {
            assertThrows(
                    UnsupportedOperationException.class, () -> headers.entries().add(Map.entry("Origin", "x")));
        }

        @Test
        void emptyHeadersHaveNothing() {
            assertTrue(Headers.empty().isEmpty());
            assertEquals(0, Headers.empty().size());
            assertSame(Headers.empty(), Headers.of());
            assertSame(Headers.empty(), Headers.builder().build());
        }
    }

    @Nested
    class Building {
        @Test
        void ofTakesAlternatingNamesAndValues() {
            assertEquals(Headers.builder().add("A", "1").add("B", "2").build(), Headers.of("A", "1", "B", "2"));
        }

        @Test
        void ofRejectsAnOddNumberOfStrings() {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Headers.of("Host", "a", "Origin"));
            assertEquals("expected name/value pairs, got 3 strings", e.getMessage());
        }

        @Test
        void emptyNamesAndLineBreaksAreRejected() {
            // A CR or LF would let a value inject header lines (response splitting).
            String[][] invalid = {
                {"", "value"},
                {"Bad\rName", "value"},
                {"Bad\nName", "value"},
                {"Name", "bad\rvalue"},
                {"Name", "bad\nvalue"},
                {"Name", "injected\r\nSet-Cookie: x=1"}
            };
            for (String[] header : invalid) {
                Headers.Builder builder = Headers.builder();
                IllegalArgumentException e = assertThrows(
                        IllegalArgumentException.class, () -> builder.add(header[0], header[1]), header[0]);
                assertEquals("invalid header: " + header[0] + ": " + header[1], e.getMessage());
                assertTrue(builder.build().isEmpty());
            }
        }

        @Test
        void nullNamesAndValuesAreRejected() {
            assertThrows(NullPointerException.class, () -> Headers.builder().add(null, "v"));
            assertThrows(NullPointerException.class, () -> Headers.builder().add("n", null));
        }

        @Test
        void anEmptyValueIsAllowed() {
            assertEquals("", Headers.of("X-Empty", "").get("x-empty"));
        }

        @Test
        void setReplacesEveryLineOfThatNameWithOneAtTheEnd() {
            Headers headers = Headers.builder()
                    .add("Accept", "a")
                    .add("Host", "one")
                    .add("HOST", "two")
                    .set("host", "three")
                    .build();
            assertEquals(List.of(Map.entry("Accept", "a"), Map.entry("host", "three")), headers.entries());
        }

        @Test
        void removeDropsEveryLineOfThatNameWhateverTheCase() {
            Headers.Builder builder =
                    Headers.builder().add("Host", "a").add("X", "1").add("host", "b");
            assertTrue(builder.contains("HOST"));
            builder.remove("HoSt");
            assertFalse(builder.contains("host"));
            assertEquals(Headers.of("X", "1"), builder.build());
        }

        @Test
        void toBuilderStartsFromACopyAndLeavesTheOriginalAlone() {
            Headers original = Headers.of("Host", "a");
            Headers extended = original.toBuilder().add("Origin", "b").build();
            assertEquals(Headers.of("Host", "a", "Origin", "b"), extended);
            assertEquals(Headers.of("Host", "a"), original);
        }

        @Test
        void addAllAppendsInOrder() {
            Headers headers = Headers.builder()
                    .add("A", "1")
                    .addAll(Headers.of("B", "2", "A", "3"))
                    .build();
            assertEquals(List.of("1", "3"), headers.all("a"));
            assertEquals("B", headers.entries().get(1).getKey());
        }

        @Test
        void aBuiltInstanceDoesNotSeeLaterChangesToItsBuilder() {
            Headers.Builder builder = Headers.builder().add("A", "1");
            Headers built = builder.build();
            builder.add("B", "2");
            assertEquals(1, built.size());
        }
    }

    @Nested
    class Equality {
        @Test
        void namesCompareWithoutCaseAndValuesWithCase() {
            Headers headers = Headers.of("Upgrade", "websocket");
            assertEquals(headers, Headers.of("UPGRADE", "websocket"));
            assertEquals(headers.hashCode(), Headers.of("UPGRADE", "websocket").hashCode());
            assertNotEquals(headers, Headers.of("Upgrade", "WebSocket"));
        }

        @Test
        void headersEqualWithoutCaseHaveEqualHashCodesBeyondAscii() {
            // equalsIgnoreCase folds one character at a time: "İ" matches "i", final "ς" matches "Σ", and
            // Deseret "𐐀" matches "𐐨"; String.toLowerCase would map "İ" to two characters and break the
            // hashCode contract.
            String[][] pairs = {{"X-\u0130", "x-i"}, {"X-\u03a3", "x-\u03c2"}, {"X-\ud801\udc00", "x-\ud801\udc28"}};
            for (String[] pair : pairs) {
                Headers a = Headers.of(pair[0], "v");
                Headers b = Headers.of(pair[1], "v");
                assertEquals(a, b, pair[1]);
                assertEquals(a.hashCode(), b.hashCode(), pair[1]);
            }
        }

        @Test
        void orderMatters() {
            assertNotEquals(Headers.of("A", "1", "B", "2"), Headers.of("B", "2", "A", "1"));
        }

        @Test
        void aDifferentNameOrCountIsNotEqual() {
            Headers headers = Headers.of("A", "1");
            assertNotEquals(headers, Headers.of("B", "1"));
            assertNotEquals(headers, Headers.of("A", "1", "A", "1"));
            assertNotEquals(headers, Headers.empty());
        }

        @Test
        void headersAreNeverEqualToAnotherType() {
            assertNotEquals(Headers.of("A", "1"), Map.of("A", "1"));
        }
    }

    @Test
    void toStringIsTheHeaderBlockAsSentOnTheWire() {
        assertEquals(
                "Host: example.com\r\nUpgrade: websocket\r\n",
                Headers.of("Host", "example.com", "Upgrade", "websocket").toString());
        assertEquals("", Headers.empty().toString());
    }
}
