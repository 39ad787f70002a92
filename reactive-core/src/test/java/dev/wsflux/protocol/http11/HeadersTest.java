package dev.wsflux.protocol.http11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
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
            List<Map.Entry<String, String>> entries = headers.entries();
            assertThrows(UnsupportedOperationException.class, () -> entries.add(Map.entry("Origin", "x")));
            assertThrows(UnsupportedOperationException.class, () -> entries.set(0, Map.entry("Origin", "x")));
            assertThrows(UnsupportedOperationException.class, () -> entries.remove(0));
            assertThrows(UnsupportedOperationException.class, entries::clear);
            assertThrows(UnsupportedOperationException.class, () -> {
                Iterator<Map.Entry<String, String>> iterator = entries.iterator();
                iterator.next();
                iterator.remove();
            });
            assertThrows(
                    UnsupportedOperationException.class, () -> entries.get(0).setValue("x"));
            assertEquals(3, headers.size());
        }

        @Test
        void entriesAreARandomAccessListLikeAnyListOfTheSameEntries() {
            List<Map.Entry<String, String>> expected = List.of(
                    Map.entry("Host", "example.com"),
                    Map.entry("Sec-WebSocket-Extensions", "permessage-deflate"),
                    Map.entry("sec-websocket-extensions", "x-test"));
            List<Map.Entry<String, String>> entries = headers.entries();

            assertTrue(entries instanceof RandomAccess);
            assertEquals(expected, entries);
            assertEquals(entries, expected);
            assertEquals(expected.hashCode(), entries.hashCode());
            assertEquals(expected.toString(), entries.toString());
            assertEquals(expected, List.copyOf(entries));
            assertEquals(List.of(), Headers.empty().entries());
        }

        @Test
        void entriesOutsideTheListAreRefused() {
            List<Map.Entry<String, String>> entries = headers.entries();

            assertThrows(IndexOutOfBoundsException.class, () -> entries.get(3));
            assertThrows(IndexOutOfBoundsException.class, () -> entries.get(-1));
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
        void ofDoesNotKeepTheArrayItWasGiven() {
            String[] namesAndValues = {"A", "1"};
            Headers headers = Headers.of(namesAndValues);

            namesAndValues[1] = "2";

            assertEquals("1", headers.get("A"));
        }

        @Test
        void ofChecksEveryNameAndValue() {
            assertThrows(IllegalArgumentException.class, () -> Headers.of("A", "1", "", "2"));
            assertThrows(IllegalArgumentException.class, () -> Headers.of("A", "1\r\n"));
            assertThrows(NullPointerException.class, () -> Headers.of("A", null));
        }

        @Test
        void aRefusedSetLeavesTheBuilderAsItWas() {
            Headers.Builder builder = Headers.builder().add("Host", "a");

            assertThrows(IllegalArgumentException.class, () -> builder.set("Host", "b\r\nX: y"));

            assertEquals(Headers.of("Host", "a"), builder.build());
        }

        @Test
        void removeKeepsTheOrderOfTheOtherLines() {
            Headers headers = Headers.builder()
                    .add("A", "1")
                    .add("X", "x")
                    .add("B", "2")
                    .add("x", "y")
                    .add("C", "3")
                    .remove("X")
                    .add("D", "4")
                    .build();

            assertEquals(Headers.of("A", "1", "B", "2", "C", "3", "D", "4"), headers);
        }

        @Test
        void buildersGrowToHoldAnyNumberOfLines() {
            Headers.Builder builder = Headers.builder();
            for (int i = 0; i < 100; i++) {
                builder.add("X-" + i, Integer.toString(i));
            }
            Headers hundred = builder.build();
            Headers more = hundred.toBuilder().add("Y", "y").addAll(hundred).build();

            assertEquals(100, hundred.size());
            assertEquals(201, more.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(
                        Map.entry("X-" + i, Integer.toString(i)),
                        hundred.entries().get(i));
                assertEquals(List.of(Integer.toString(i), Integer.toString(i)), more.all("x-" + i));
            }
            assertEquals(Map.entry("Y", "y"), more.entries().get(100));
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
