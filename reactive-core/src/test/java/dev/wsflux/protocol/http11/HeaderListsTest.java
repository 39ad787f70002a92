package dev.wsflux.protocol.http11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HeaderLists}: the list grammars of the handshake headers. */
class HeaderListsTest {
    @Nested
    class TokenLists {
        @Test
        void splitsEveryValueOfEveryHeaderInOrder() {
            Headers headers = Headers.of("Connection", "keep-alive, Upgrade", "X", "y", "connection", "close");

            assertEquals(List.of("keep-alive", "Upgrade", "close"), HeaderLists.parseTokenList(headers, "Connection"));
        }

        @Test
        void dropsEmptyElementsAndOptionalWhitespace() {
            Headers headers = Headers.of("Connection", ", ,\tUpgrade ,, keep-alive\t,", "Connection", "");

            assertEquals(List.of("Upgrade", "keep-alive"), HeaderLists.parseTokenList(headers, "Connection"));
        }

        @Test
        void isEmptyWithoutTheHeader() {
            assertEquals(List.of(), HeaderLists.parseTokenList(Headers.of("X", "y"), "Connection"));
        }

        @Test
        void rejectsAnElementThatIsNotAToken() {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> HeaderLists.parseTokenList(Headers.of("Connection", "Upgrade, a@b"), "Connection"));

            assertEquals("Connection", e.name());
            assertEquals("Upgrade, a@b", e.value());
            assertEquals(
                    "invalid Connection header: unexpected character '@' at position 10 of \"Upgrade, a@b\"",
                    e.getMessage());
        }

        @Test
        void rejectsNonAsciiCharacters() {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> HeaderLists.parseTokenList(Headers.of("Connection", "caf\u00e9"), "Connection"));

            assertTrue(e.getMessage().endsWith("unexpected character '\\xe9' at position 3 of \"caf\\xe9\""));
        }

        @Test
        void rejectsTokensSeparatedByWhitespaceOnly() {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> HeaderLists.parseTokenList(Headers.of("Connection", "keep-alive Upgrade"), "Connection"));

            assertTrue(e.getMessage().endsWith("unexpected character 'U' at position 11 of \"keep-alive Upgrade\""));
        }

        @Test
        void rejectsHeadersWithoutAnyElement() {
            // Connection = 1#connection-option: at least one element.
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> HeaderLists.parseTokenList(Headers.of("Connection", " , ", "Connection", ""), "Connection"));

            assertEquals("invalid Connection header: empty list: \" , , \"", e.getMessage());
        }
    }

    /** RFC 7230 §6.7: Upgrade = 1#protocol. */
    @Nested
    class Upgrade {
        @Test
        void parsesProtocolsWithAndWithoutVersions() {
            Headers headers = Headers.of("Upgrade", "websocket", "Upgrade", "h2c, foo/1, WebSocket");

            assertEquals(List.of("websocket", "h2c", "foo/1", "WebSocket"), HeaderLists.parseUpgrade(headers));
        }

        @ParameterizedTest
        @ValueSource(strings = {"foo/", "/1", "foo/1/2", "web socket", "foo/1.0 (x)"})
        void rejectsInvalidProtocols(String value) {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class, () -> HeaderLists.parseUpgrade(Headers.of("Upgrade", value)));

            assertEquals("Upgrade", e.name());
            assertEquals(value, e.value());
        }
    }

    /** RFC 6455 §9.1: Sec-WebSocket-Extensions. */
    @Nested
    class Extensions {
        @Test
        void parsesTheRfc7692Offers() {
            Headers headers = Headers.of(
                    "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits, permessage-deflate");

            assertEquals(
                    List.of(
                            ExtensionOffer.of("permessage-deflate", ExtensionParameter.of("client_max_window_bits")),
                            ExtensionOffer.of("permessage-deflate")),
                    HeaderLists.parseExtensions(headers));
        }

        @Test
        void parsesParametersWithTokenValues() {
            Headers headers = Headers.of(
                    "Sec-WebSocket-Extensions",
                    "permessage-deflate; client_max_window_bits=10; server_no_context_takeover");

            assertEquals(
                    List.of(ExtensionOffer.of(
                            "permessage-deflate",
                            ExtensionParameter.of("client_max_window_bits", "10"),
                            ExtensionParameter.of("server_no_context_takeover"))),
                    HeaderLists.parseExtensions(headers));
        }

        @Test
        void unquotesQuotedValues() {
            Headers headers = Headers.of(
                    "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits=\"10\"; x=\"a\\b\"");

            assertEquals(
                    List.of(ExtensionOffer.of(
                            "permessage-deflate",
                            ExtensionParameter.of("client_max_window_bits", "10"),
                            ExtensionParameter.of("x", "ab"))),
                    HeaderLists.parseExtensions(headers));
        }

        @Test
        void acceptsOptionalWhitespaceAroundSeparators() {
            Headers headers = Headers.of("Sec-WebSocket-Extensions", " foo ;a = 1 ;\tb\t= \"2\" ;c , bar ");

            assertEquals(
                    List.of(
                            ExtensionOffer.of(
                                    "foo",
                                    ExtensionParameter.of("a", "1"),
                                    ExtensionParameter.of("b", "2"),
                                    ExtensionParameter.of("c")),
                            ExtensionOffer.of("bar")),
                    HeaderLists.parseExtensions(headers));
        }

        @Test
        void combinesEveryHeaderInOrderAndDropsEmptyElements() {
            Headers headers = Headers.of(
                    "Sec-WebSocket-Extensions", "foo, ,", "Sec-WebSocket-Extensions", "bar; x", "Origin", "o");

            assertEquals(
                    List.of(ExtensionOffer.of("foo"), ExtensionOffer.of("bar", ExtensionParameter.of("x"))),
                    HeaderLists.parseExtensions(headers));
        }

        @Test
        void isEmptyWithoutTheHeader() {
            assertEquals(List.of(), HeaderLists.parseExtensions(Headers.empty()));
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                quoteCharacter = '`', // values and messages hold both ' and "
                value = {
                    "foo;                  | unexpected end of \"foo;\"",
                    "foo; =1               | unexpected character '=' at position 5 of \"foo; =1\"",
                    "foo; a=               | unexpected end of \"foo; a=\"",
                    "foo; a=1=2            | unexpected character '=' at position 8 of \"foo; a=1=2\"",
                    "foo bar               | unexpected character 'b' at position 4 of \"foo bar\"",
                    ";a                    | unexpected character ';' at position 0 of \";a\"",
                    "fo@o                  | unexpected character '@' at position 2 of \"fo@o\"",
                    "foo; a=b/c            | unexpected character '/' at position 8 of \"foo; a=b/c\"",
                    "foo; a=\"1 0\"        | quoted value isn't a token: \"1 0\" in \"foo; a=\\x221 0\\x22\"",
                    "foo; a=\"\"           | quoted value isn't a token: \"\" in \"foo; a=\\x22\\x22\"",
                    "foo; a=\"10           | unterminated quoted string at position 7 of \"foo; a=\\x2210\"",
                    "foo; a=\"10\\         | unterminated quoted string at position 7 of \"foo; a=\\x2210\\x5c\"",
                    "foo; a=\"10\"x        | unexpected character 'x' at position 11 of \"foo; a=\\x2210\\x22x\"",
                    ",                     | empty list: \",\"",
                })
        void rejectsValuesOutsideTheGrammar(String value, String message) {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> HeaderLists.parseExtensions(Headers.of("Sec-WebSocket-Extensions", value)));

            assertEquals("Sec-WebSocket-Extensions", e.name());
            assertEquals(value, e.value());
            assertEquals("invalid Sec-WebSocket-Extensions header: " + message, e.getMessage());
        }

        @Test
        void formatsOffers() {
            List<ExtensionOffer> offers = List.of(
                    ExtensionOffer.of("permessage-deflate", ExtensionParameter.of("client_max_window_bits")),
                    ExtensionOffer.of(
                            "permessage-deflate",
                            ExtensionParameter.of("server_max_window_bits", "10"),
                            ExtensionParameter.of("server_no_context_takeover")));

            String value = HeaderLists.formatExtensions(offers);

            assertEquals(
                    "permessage-deflate; client_max_window_bits, "
                            + "permessage-deflate; server_max_window_bits=10; server_no_context_takeover",
                    value);
            assertEquals(offers, HeaderLists.parseExtensions(Headers.of("Sec-WebSocket-Extensions", value)));
        }

        @Test
        void aValueEqualToTheLastOneFormattedIsThatSharedString() {
            // Each session keeps its response: servers answering every client alike share one string.
            List<ExtensionOffer> response = List.of(
                    ExtensionOffer.of("permessage-deflate", ExtensionParameter.of("server_max_window_bits", "12")));
            String first = HeaderLists.formatExtensions(response);
            String again = HeaderLists.formatExtensions(List.copyOf(response));
            String other = HeaderLists.formatExtensions(List.of(ExtensionOffer.of("x-other")));

            assertSame(first, again);
            assertEquals("permessage-deflate; server_max_window_bits=12", first);
            assertEquals("x-other", other);
            assertSame(other, HeaderLists.formatExtensions(List.of(ExtensionOffer.of("x-other"))));
        }

        @Test
        void formatsNoOffersAsAnEmptyString() {
            assertEquals("", HeaderLists.formatExtensions(List.of()));
        }

        @Test
        void refusesToFormatWhatIsNotAToken() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> HeaderLists.formatExtensions(List.of(ExtensionOffer.of("per message"))));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> HeaderLists.formatExtensions(List.of(ExtensionOffer.of("x", ExtensionParameter.of("a=b")))));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> HeaderLists.formatExtensions(
                            List.of(ExtensionOffer.of("x", ExtensionParameter.of("a", "1 0")))));
            assertEquals("extension parameter value isn't a token: 1 0", e.getMessage());
        }
    }

    /** RFC 6455 §4.1 and §11.3.4: Sec-WebSocket-Protocol. */
    @Nested
    class Subprotocols {
        @Test
        void parsesEveryHeaderInOrder() {
            Headers headers = Headers.of(
                    "Sec-WebSocket-Protocol", "chat, superchat", "Sec-WebSocket-Protocol", "v2.json.example.com");

            assertEquals(List.of("chat", "superchat", "v2.json.example.com"), HeaderLists.parseSubprotocols(headers));
        }

        @Test
        void rejectsSeparatorCharacters() {
            InvalidHeaderException e = assertThrows(
                    InvalidHeaderException.class,
                    () -> HeaderLists.parseSubprotocols(Headers.of("Sec-WebSocket-Protocol", "chat/1")));

            assertEquals("Sec-WebSocket-Protocol", e.name());
        }

        @Test
        void formatsSubprotocols() {
            assertEquals("chat, superchat", HeaderLists.formatSubprotocols(List.of("chat", "superchat")));
            assertEquals("", HeaderLists.formatSubprotocols(List.of()));
        }

        @Test
        void refusesToFormatWhatIsNotAToken() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> HeaderLists.formatSubprotocols(List.of("chat", "")));

            assertEquals("subprotocol isn't a token: ", e.getMessage());
        }
    }

    /** RFC 7617: the Basic authentication scheme. */
    private static String text(ByteBuffer bytes) {
        return new String(toArray(bytes.duplicate()), StandardCharsets.ISO_8859_1);
    }

    private static byte[] toArray(ByteBuffer bytes) {
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return array;
    }
}
