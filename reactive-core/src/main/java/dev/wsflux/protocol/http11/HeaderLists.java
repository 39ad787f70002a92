package dev.wsflux.protocol.http11;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The list-valued header fields of the opening handshake and their grammars: {@code Connection},
 * {@code Upgrade}, {@code Sec-WebSocket-Protocol} and {@code Sec-WebSocket-Extensions}
 * (<a href="https://www.rfc-editor.org/rfc/rfc7230#section-7">RFC 7230 §7</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc6455#section-9.1">RFC 6455 §9.1</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc6455#section-11.3">§11.3</a>).
 *
 * <p>Header values are strings whose characters are the header's bytes decoded as ISO-8859-1, as the parser
 * produces them. Thread-safe: it keeps no state but the last value of {@link #formatExtensions}, to share it.
 */
public final class HeaderLists {
    /**
     * The value {@link #formatExtensions} made last. A server answers its clients with the same few values,
     * and each session keeps its handshake response, so a value equal to the last one is that instance, not
     * a copy per connection. Any thread may see any recent value: each is an immutable string, and a stale
     * one only means a new copy.
     */
    private static volatile String lastExtensions = "";

    private HeaderLists() {}

    /**
     * The elements of a comma-separated token list such as {@code Connection}: every value of every
     * header named {@code name}, split on commas, optional whitespace trimmed, empty elements dropped.
     *
     * <p>RFC 7230 §7: "a recipient MUST parse and ignore a reasonable number of empty list elements".
     * The handshake's lists are {@code 1#} lists, so headers that hold no element at all are invalid.
     *
     * @param headers the headers
     * @param name the header name, compared case-insensitively
     * @return the tokens in order, empty when there is no such header
     * @throws InvalidHeaderException if an element isn't a token, or the headers hold no element
     */
    public static List<String> parseTokenList(Headers headers, String name) {
        return parseList(headers, name, Cursor::token);
    }

    /**
     * The protocols of the {@code Upgrade} headers, for example {@code ["websocket"]} or
     * {@code ["h2c", "foo/1"]}.
     *
     * <p>RFC 7230 §6.7: {@code Upgrade = 1#protocol}, {@code protocol = protocol-name ["/"
     * protocol-version]}, where name and version are tokens.
     *
     * @param headers the headers
     * @return the protocols as written, in order
     * @throws InvalidHeaderException if an element isn't a protocol, or the headers hold no element
     */
    public static List<String> parseUpgrade(Headers headers) {
        return parseList(headers, "Upgrade", cursor -> {
            String protocol = cursor.token();
            return cursor.consume('/') ? protocol + "/" + cursor.token() : protocol;
        });
    }

    /**
     * The extension offers of the {@code Sec-WebSocket-Extensions} headers, in order.
     *
     * <p>RFC 6455 §9.1:
     *
     * <pre>
     * extension-list = 1#extension
     * extension = extension-token *( ";" extension-param )
     * extension-param = token [ "=" (token | quoted-string) ]
     *     ;When using the quoted-string syntax variant, the value
     *     ;after quoted-string unescaping MUST conform to the
     *     ;'token' ABNF.
     * </pre>
     *
     * <p>Optional whitespace is accepted around {@code ;}, {@code ,} and {@code =} (RFC 2616's
     * "implied *LWS", which §9.1 inherits). Quoted values are returned unquoted.
     *
     * @param headers the headers
     * @return the offers, empty when there is no such header
     * @throws InvalidHeaderException if a value doesn't match the grammar
     */
    public static List<ExtensionOffer> parseExtensions(Headers headers) {
        return parseList(headers, "Sec-WebSocket-Extensions", HeaderLists::extension);
    }

    private static ExtensionOffer extension(Cursor cursor) {
        String name = cursor.token();
        List<ExtensionParameter> parameters = new ArrayList<>();
        cursor.skipOws();
        while (cursor.consume(';')) {
            cursor.skipOws();
            String parameter = cursor.token();
            cursor.skipOws();
            if (cursor.consume('=')) {
                cursor.skipOws();
                String value = cursor.peek('"') ? cursor.quotedToken() : cursor.token();
                parameters.add(ExtensionParameter.of(parameter, value));
                cursor.skipOws();
            } else {
                parameters.add(ExtensionParameter.of(parameter));
            }
        }
        return new ExtensionOffer(name, parameters);
    }

    /**
     * The {@code Sec-WebSocket-Extensions} value for offers, for example
     * {@code "permessage-deflate; client_max_window_bits, permessage-deflate"}.
     *
     * @param offers the offers, in order of preference
     * @return the header value, {@code ""} for no offers (then the caller omits the header)
     * @throws IllegalArgumentException if a name or a parameter value isn't a token (RFC 6455 §9.1
     *     requires values to be tokens, so they never need quoting)
     */
    public static String formatExtensions(List<ExtensionOffer> offers) {
        // 128 characters hold the usual values, such as a permessage-deflate response with two parameters.
        StringBuilder text = new StringBuilder(128);
        for (ExtensionOffer offer : offers) {
            HttpSyntax.requireToken("extension name", offer.name());
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(offer.name());
            for (ExtensionParameter parameter : offer.parameters()) {
                HttpSyntax.requireToken("extension parameter name", parameter.name());
                text.append("; ").append(parameter.name());
                if (parameter.value() != null) {
                    HttpSyntax.requireToken("extension parameter value", parameter.value());
                    text.append('=').append(parameter.value());
                }
            }
        }
        String last = lastExtensions;
        if (last.contentEquals(text)) {
            return last;
        }
        String formatted = text.toString();
        lastExtensions = formatted;
        return formatted;
    }

    /**
     * The subprotocols of the {@code Sec-WebSocket-Protocol} headers, in order.
     *
     * <p>RFC 6455 §4.1: "The elements that comprise this value MUST be non-empty strings with
     * characters in the range U+0021 to U+007E not including separator characters as defined in
     * [RFC2616]", that is tokens; §11.3.4: {@code Sec-WebSocket-Protocol-Client = 1#token}.
     *
     * @param headers the headers
     * @return the subprotocols, empty when there is no such header
     * @throws InvalidHeaderException if an element isn't a token, or the headers hold no element
     */
    public static List<String> parseSubprotocols(Headers headers) {
        return parseTokenList(headers, "Sec-WebSocket-Protocol");
    }

    /**
     * The {@code Sec-WebSocket-Protocol} value for subprotocols: {@code "chat, superchat"}.
     *
     * @param subprotocols the subprotocols, in order of preference
     * @return the header value, {@code ""} for no subprotocols (then the caller omits the header)
     * @throws IllegalArgumentException if a subprotocol isn't a token
     */
    public static String formatSubprotocols(List<String> subprotocols) {
        for (String subprotocol : subprotocols) {
            HttpSyntax.requireToken("subprotocol", subprotocol);
        }
        return String.join(", ", subprotocols);
    }

    /**
     * Parses a {@code 1#element} list spread over every header named {@code name} (RFC 7230 §7):
     * elements separated by commas with optional whitespace, empty elements ignored.
     */
    private static <T> List<T> parseList(Headers headers, String name, Function<Cursor, T> element) {
        List<T> elements = new ArrayList<>();
        boolean found = false;
        // Straight over the lines, not over headers.all(name): most handshakes have none or one of each list.
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.nameAt(i).equalsIgnoreCase(name)) {
                continue;
            }
            found = true;
            Cursor cursor = new Cursor(name, headers.valueAt(i));
            while (true) {
                cursor.skipOws();
                if (cursor.atEnd()) {
                    break;
                }
                if (cursor.consume(',')) {
                    continue;
                }
                elements.add(element.apply(cursor));
                cursor.skipOws();
                if (!cursor.atEnd() && !cursor.consume(',')) {
                    throw cursor.unexpected();
                }
            }
        }
        if (elements.isEmpty() && found) {
            String value = String.join(", ", headers.all(name));
            throw new InvalidHeaderException(name, value, "empty list: \"" + HttpSyntax.printable(value) + "\"");
        }
        return elements;
    }

    /** A position in a header value, for the list grammars. */
    private static final class Cursor {
        private final String name;
        private final String value;
        private int position;

        Cursor(String name, String value) {
            this.name = name;
            this.value = value;
        }

        boolean atEnd() {
            return position == value.length();
        }

        boolean peek(char c) {
            return !atEnd() && value.charAt(position) == c;
        }

        boolean consume(char c) {
            if (peek(c)) {
                position++;
                return true;
            }
            return false;
        }

        void skipOws() {
            while (!atEnd() && HttpSyntax.isOws(value.charAt(position))) {
                position++;
            }
        }

        String token() {
            int start = position;
            while (!atEnd() && HttpSyntax.isTokenChar(value.charAt(position))) {
                position++;
            }
            if (start == position) {
                throw unexpected();
            }
            return value.substring(start, position);
        }

        /**
         * quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 7230 §3.2.6), whose unescaped
         * value must be a token (RFC 6455 §9.1). Every tchar is qdtext and a valid quoted-pair, so
         * checking the unescaped value checks the quoted one too.
         */
        String quotedToken() {
            int start = position;
            position++; // the opening quote
            StringBuilder text = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw new InvalidHeaderException(
                            name, value, "unterminated quoted string at position " + start + " of " + quoted());
                }
                char c = value.charAt(position++);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && !atEnd()) {
                    c = value.charAt(position++);
                }
                text.append(c);
            }
            if (!HttpSyntax.isToken(text.toString())) {
                throw new InvalidHeaderException(
                        name,
                        value,
                        "quoted value isn't a token: " + value.substring(start, position) + " in " + quoted());
            }
            return text.toString();
        }

        InvalidHeaderException unexpected() {
            String what = atEnd()
                    ? "unexpected end of " + quoted()
                    : "unexpected character '" + HttpSyntax.printable(value.substring(position, position + 1))
                            + "' at position " + position + " of " + quoted();
            return new InvalidHeaderException(name, value, what);
        }

        private String quoted() {
            return "\"" + HttpSyntax.printable(value) + "\"";
        }
    }
}
