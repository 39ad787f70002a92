package dev.wsflux.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

/**
 * Helpers of the WebSocket opening handshake: the {@code Sec-WebSocket-Key} and
 * {@code Sec-WebSocket-Accept} values, the wire form of {@link Request} and {@link Response}, and the
 * grammars of the header fields the handshake reads.
 *
 * <p>Thread-safe: it keeps no state but one SHA-1 digest per thread, which {@link #acceptKey} resets after
 * each use, and the last value of {@link #formatExtensions}, to share it.
 *
 * <p>Header values are strings whose characters are the header's bytes decoded as ISO-8859-1, as
 * {@link HttpParser} produces them; {@link #serialize(Request)} encodes them back the same way, so
 * parsing and serializing is lossless.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6455#section-1.3">RFC 6455 §1.3 Opening Handshake</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6455#section-4">RFC 6455 §4 Opening Handshake</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6455#section-9.1">RFC 6455 §9.1 Negotiating Extensions</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6455#section-11.3">RFC 6455 §11.3 Header Fields</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7230#section-7">RFC 7230 §7 ABNF List Extension</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7617">RFC 7617 Basic HTTP Authentication</a>
 */
public final class Handshake {
    /**
     * The GUID that the server appends to the key before hashing it (RFC 6455 §1.3): "a Globally
     * Unique Identifier (GUID, [RFC4122]) in string form", the same for every WebSocket connection.
     */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The bytes of {@link #GUID}, hashed after the key's. */
    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.ISO_8859_1);

    /**
     * A SHA-1 digest per thread, for {@link #acceptKey}: {@link MessageDigest#getInstance(String)} searches
     * the security providers on every call, which costs more than hashing a key; {@link MessageDigest#digest}
     * resets the digest for its next use. The threads that run handshakes are few (event loops).
     */
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(Handshake::newSha1);

    /**
     * The value {@link #formatExtensions} made last. A server answers its clients with the same few values,
     * and each session keeps its handshake response, so a value equal to the last one is that instance, not
     * a copy per connection. Any thread may see any recent value: each is an immutable string, and a stale
     * one only means a new copy.
     */
    private static volatile String lastExtensions = "";

    /** The only HTTP version we send: at the end of a request line, at the start of a status line. */
    private static final String HTTP_1_1 = "HTTP/1.1";

    private static final String CRLF = "\r\n";

    /** RFC 6455 §4.1: the key "MUST be a nonce consisting of a randomly selected 16-byte value". */
    private static final int KEY_BYTES = 16;

    /** Base64 of 16 bytes: 16 = 5 × 3 + 1, so 5 × 4 characters, then 2 characters and "==". */
    private static final int KEY_CHARS = 24;

    private static final String BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** RFC 7230 §3.2.6: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[Character.toUpperCase(c)] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Handshake() {}

    /**
     * A fresh {@code Sec-WebSocket-Key}: 16 random bytes, base64-encoded.
     *
     * <p>RFC 6455 §4.1: "The nonce MUST be selected randomly for each connection." Pass a
     * {@link java.security.SecureRandom}; tests may pass a seeded {@link Random}.
     *
     * @param random the source of the nonce
     * @return the key, 24 characters
     */
    public static String generateKey(Random random) {
        byte[] nonce = new byte[KEY_BYTES];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * The {@code Sec-WebSocket-Accept} value for a key: base64(SHA-1(key + {@link #GUID})).
     *
     * <p>RFC 6455 §4.2.2: "concatenate this [key] with the Globally Unique Identifier ... take the
     * SHA-1 hash of this concatenated value to obtain a 20-byte value and base64-encode ... this
     * 20-byte hash." For example {@code acceptKey("dGhlIHNhbXBsZSBub25jZQ==")} is
     * {@code "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="}.
     *
     * @param key the {@code Sec-WebSocket-Key} value as received (its characters are its bytes)
     * @return the {@code Sec-WebSocket-Accept} value
     */
    public static String acceptKey(String key) {
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
    public static boolean isValidKey(String key) {
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

    /**
     * The bytes of a request: request line, header lines, empty line.
     *
     * <pre>{@code
     * GET /chat HTTP/1.1\r\n
     * Host: server.example.com\r\n
     * Upgrade: websocket\r\n
     * ...
     * \r\n
     * }</pre>
     *
     * @param request the request; its headers are written as given, in order
     * @return a buffer positioned at 0, ready to be written
     * @throws IllegalArgumentException if the method or a header name isn't a token, the path is
     *     empty or has characters outside {@code %x21-7E}, or a header value has a control character
     *     or a character above {@code U+00FF}
     */
    public static ByteBuffer serialize(Request request) {
        if (!isToken(request.method())) {
            throw new IllegalArgumentException("invalid method: " + HttpParser.printable(request.method()));
        }
        String path = request.path();
        if (path.isEmpty() || !isVisibleAscii(path)) {
            throw new IllegalArgumentException("invalid request target: " + HttpParser.printable(path));
        }
        Headers headers = request.headers();
        // method SP request-target SP HTTP-version CRLF, the header lines, CRLF
        int size = request.method().length() + 1 + path.length() + 1 + HTTP_1_1.length() + CRLF.length();
        byte[] bytes = new byte[size + headerBytes(headers)];
        int at = put(bytes, 0, request.method());
        bytes[at++] = ' ';
        at = put(bytes, at, path);
        bytes[at++] = ' ';
        at = put(bytes, at, HTTP_1_1);
        at = put(bytes, at, CRLF);
        putHeaders(bytes, at, headers);
        return ByteBuffer.wrap(bytes);
    }

    /**
     * The bytes of a response: status line, header lines, empty line, body.
     *
     * <pre>{@code
     * HTTP/1.1 101 Switching Protocols\r\n
     * Upgrade: websocket\r\n
     * Connection: Upgrade\r\n
     * Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n
     * \r\n
     * }</pre>
     *
     * <p>Headers are written as given: the caller adds {@code Content-Length} when there is a body
     * (or closes the connection after it, which also delimits it).
     *
     * @param response the response
     * @return a buffer positioned at 0, ready to be written
     * @throws IllegalArgumentException if the status isn't within 100–599, the reason phrase or a
     *     header value has a control character or a character above {@code U+00FF}, or a header name
     *     isn't a token
     */
    public static ByteBuffer serialize(Response response) {
        int status = response.status();
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("invalid status: " + status);
        }
        if (!isFieldText(response.reason())) {
            throw new IllegalArgumentException("invalid reason phrase: " + HttpParser.printable(response.reason()));
        }
        String reason = response.reason();
        Headers headers = response.headers();
        byte[] body = response.body();
        // HTTP-version SP status-code SP reason-phrase CRLF (the code has 3 digits), the header lines, CRLF, body
        int size = HTTP_1_1.length() + 1 + 3 + 1 + reason.length() + CRLF.length();
        byte[] bytes = new byte[size + headerBytes(headers) + body.length];
        int at = put(bytes, 0, HTTP_1_1);
        bytes[at++] = ' ';
        bytes[at++] = (byte) ('0' + status / 100);
        bytes[at++] = (byte) ('0' + status / 10 % 10);
        bytes[at++] = (byte) ('0' + status % 10);
        bytes[at++] = ' ';
        at = put(bytes, at, reason);
        at = put(bytes, at, CRLF);
        at = putHeaders(bytes, at, headers);
        System.arraycopy(body, 0, bytes, at, body.length);
        return ByteBuffer.wrap(bytes);
    }

    /**
     * The number of bytes of the header lines and the empty line after them, once each name is checked to
     * be a token and each value to be field text (so every character is one byte).
     */
    private static int headerBytes(Headers headers) {
        int size = CRLF.length();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.nameAt(i);
            String value = headers.valueAt(i);
            if (!isToken(name)) {
                throw new IllegalArgumentException("invalid header name: " + HttpParser.printable(name));
            }
            if (!isFieldText(value)) {
                throw new IllegalArgumentException(
                        "invalid value of header " + name + ": " + HttpParser.printable(value));
            }
            // name ":" SP value CRLF
            size += name.length() + 2 + value.length() + CRLF.length();
        }
        return size;
    }

    /** Writes the header lines checked by {@link #headerBytes} and the empty line; returns the end. */
    private static int putHeaders(byte[] bytes, int at, Headers headers) {
        for (int i = 0; i < headers.size(); i++) {
            at = put(bytes, at, headers.nameAt(i));
            bytes[at++] = ':';
            bytes[at++] = ' ';
            at = put(bytes, at, headers.valueAt(i));
            at = put(bytes, at, CRLF);
        }
        return put(bytes, at, CRLF);
    }

    /**
     * Writes each character of {@code text}, checked to be at most {@code U+00FF}, as one byte (ISO-8859-1)
     * at {@code at}; returns the index after it.
     */
    private static int put(byte[] bytes, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            bytes[at + i] = (byte) text.charAt(i);
        }
        return at + text.length();
    }

    /**
     * The standard reason phrase of a status code (RFC 9110 §15, RFC 6585, RFC 8297).
     *
     * @param status the status code
     * @return the phrase, for example {@code "Switching Protocols"} for 101, or {@code ""} for a code
     *     without a registered phrase (the reason phrase may be empty)
     */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 103 -> "Early Hints";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 305 -> "Use Proxy";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            case 511 -> "Network Authentication Required";
            default -> "";
        };
    }

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
        return parseList(headers, "Sec-WebSocket-Extensions", Handshake::extension);
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
            requireToken("extension name", offer.name());
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(offer.name());
            for (ExtensionParameter parameter : offer.parameters()) {
                requireToken("extension parameter name", parameter.name());
                text.append("; ").append(parameter.name());
                if (parameter.value() != null) {
                    requireToken("extension parameter value", parameter.value());
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
            requireToken("subprotocol", subprotocol);
        }
        return String.join(", ", subprotocols);
    }

    /**
     * An {@code Authorization} value with Basic credentials: {@code "Basic " + base64(user ":"
     * password)}, the credentials encoded as UTF-8.
     *
     * <p>RFC 7617 §2: "a user-id containing a colon character is invalid" and "The user-id and password
     * MUST NOT contain any control characters".
     *
     * @param user the user-id
     * @param password the password
     * @return the header value
     * @throws IllegalArgumentException if the user-id has a colon, or either has a control character
     */
    public static String basicAuthorization(String user, String password) {
        String problem = basicCredentialsProblem(
                Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password"));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        byte[] credentials = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(credentials);
    }

    /**
     * The user-id and password of a Basic {@code Authorization} value.
     *
     * <p>The scheme name is case-insensitive (RFC 7617 §2); the credentials are base64 of UTF-8.
     *
     * @param value the header value, or {@code null}
     * @return (user-id, password), or {@code null} when the value is missing, uses another scheme, or
     *     isn't valid base64 of UTF-8 text with a colon
     */
    public static Map.Entry<String, String> parseBasicAuthorization(String value) {
        if (value == null) {
            return null;
        }
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Basic")) {
            return null;
        }
        String text;
        try {
            byte[] credentials =
                    Base64.getDecoder().decode(value.substring(space + 1).strip());
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(credentials))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
        int colon = text.indexOf(':');
        return colon < 0 ? null : Map.entry(text.substring(0, colon), text.substring(colon + 1));
    }

    /** Why credentials can't be sent with Basic authentication, or {@code null} when they can. */
    static String basicCredentialsProblem(String user, String password) {
        if (user.indexOf(':') >= 0) {
            return "user-id contains a colon: " + HttpParser.printable(user);
        }
        if (hasControl(user) || hasControl(password)) {
            return "credentials contain a control character";
        }
        return null;
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c < 0xa0));
    }

    /** Whether {@code c} is a tchar (RFC 7230 §3.2.6). */
    static boolean isTokenChar(char c) {
        return c < 128 && TCHAR[c];
    }

    /** Whether {@code text} is a token: {@code 1*tchar} (RFC 7230 §3.2.6). */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code c} may appear in a header value or a reason phrase: HTAB, SP, VCHAR or obs-text
     * (RFC 7230 §3.2 {@code field-vchar}, §3.1.2 {@code reason-phrase}).
     */
    static boolean isFieldChar(char c) {
        return c == '\t' || (c >= ' ' && c != 0x7f && c <= 0xff);
    }

    private static boolean isFieldText(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isFieldChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether every character of {@code text} is visible US-ASCII, {@code %x21-7E}, as in a request target. */
    private static boolean isVisibleAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** OWS = *( SP / HTAB ) (RFC 7230 §3.2.3). */
    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static void requireToken(String what, String text) {
        if (!isToken(text)) {
            throw new IllegalArgumentException(what + " isn't a token: " + HttpParser.printable(text));
        }
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
            throw new InvalidHeaderException(name, value, "empty list: \"" + HttpParser.printable(value) + "\"");
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
            while (!atEnd() && isOws(value.charAt(position))) {
                position++;
            }
        }

        String token() {
            int start = position;
            while (!atEnd() && isTokenChar(value.charAt(position))) {
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
            if (!isToken(text.toString())) {
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
                    : "unexpected character '" + HttpParser.printable(value.substring(position, position + 1))
                            + "' at position " + position + " of " + quoted();
            return new InvalidHeaderException(name, value, what);
        }

        private String quoted() {
            return "\"" + HttpParser.printable(value) + "\"";
        }
    }
}
