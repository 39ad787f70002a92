package dev.wsflux.protocol.codec;

import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.HttpSyntax;
import dev.wsflux.protocol.http11.InvalidHttpMessageException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An incremental parser of the one HTTP/1.1 message of an opening handshake: the client's request
 * (on a server) or the server's response (on a client), with a limit on every size.
 *
 * <p>Not thread-safe. A parser returns one message; make a new parser for the next one.
 *
 * <p>Bytes are pushed with {@link #feed(ByteBuffer)} in chunks of any size, down to one byte. The
 * parser consumes no byte after the end of the message: WebSocket frames may follow it in the same
 * buffer. Header values become strings whose characters are their bytes decoded as ISO-8859-1 (RFC
 * 7230 §3.2.4: "a recipient SHOULD treat other octets in field content (obs-text) as opaque data").
 * Lines are parsed on their bytes, and each name and value becomes one string, or, for the ones most
 * handshakes hold ({@code Host}, {@code Upgrade: websocket}...), the same shared string every time.
 *
 * <p>It is strict where leniency has led to request smuggling, and fails with the status a server
 * answers ({@link InvalidHttpMessageException#status()}):
 *
 * <ul>
 *   <li>400: a malformed start line or header line, a header name that isn't a token (this includes
 *       whitespace before the colon), a control character, a line that ends with a bare LF instead of
 *       CRLF (RFC 7230 §3.5 allows but doesn't require accepting them), a request with a body or with a
 *       {@code Content-Length} other than a single {@code 0}, a response with invalid framing headers, the
 *       connection closing before the end of the message;
 *   <li>414: a request line longer than {@link #MAX_LINE_LENGTH};
 *   <li>431: a header line longer than {@link #MAX_LINE_LENGTH}, more than {@link #MAX_HEADERS}
 *       header lines;
 *   <li>413: a response body longer than {@link #MAX_BODY_SIZE} (no server answers a response; the
 *       status only classifies the error);
 *   <li>505: a well-formed HTTP version other than HTTP/1.1 in a request, or other than HTTP/1.1 and
 *       HTTP/1.0 in a response (the message quotes the status line).
 * </ul>
 *
 * <p>Responses may be HTTP/1.0, whose message syntax HTTP/1.1 keeps (RFC 7230 §2.6: "the major number will
 * only be incremented if an incompatible message syntax is introduced"): some proxies answer {@code CONNECT}
 * with it, and a plain HTTP/1.0 server (such as {@code python3 -m http.server}) answers an upgrade request
 * with one. {@link #httpVersion()} tells which was read, so that the client can say what the server
 * answered.
 *
 * <p>Responses: interim 1xx responses other than 101 (such as {@code 100 Continue} or {@code 103
 * Early Hints}) are skipped, as RFC 9110 §15.2 requires ("A client MUST be able to parse one or more
 * 1xx responses received prior to a final response, even if the client does not expect one"). The
 * body is read per RFC 7230 §3.3.3 for the response to a {@code GET}: none for 1xx, 204, 304; otherwise chunked (chunked is decoded, other transfer codings are
 * left as they are), {@code Content-Length} bytes, or everything until the connection closes. Header
 * lines folded with obs-fold are unfolded in responses and rejected in requests (RFC 7230 §3.2.4).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7230#section-3">RFC 7230 §3 Message Format</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7230#section-4.1">RFC 7230 §4.1 Chunked Transfer Coding</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.1">RFC 6455 §4.1 Client Requirements</a>
 */
public final class HttpParser {
    /**
     * The longest request line, status line or header line, CRLF excluded: 8 KiB. It is the most common
     * default of servers (Apache's {@code LimitRequestLine} and {@code LimitRequestFieldSize} are 8190,
     * nginx's {@code large_client_header_buffers} are 8k), so clients don't send longer lines.
     */
    public static final int MAX_LINE_LENGTH = 8192;

    /**
     * The most header lines of a message (and trailer lines of a chunked body): 128. With
     * {@link #MAX_LINE_LENGTH}, a message's headers take at most 128 × 8 KiB = 1 MiB.
     */
    public static final int MAX_HEADERS = 128;

    /**
     * The longest response body: 1 MiB. Only a response that rejects the handshake has one; it is read
     * to show it to the user, and a larger one is more likely an attack than an explanation.
     */
    public static final int MAX_BODY_SIZE = 1 << 20; // 1 MiB

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final byte HTAB = '\t';
    private static final byte COLON = ':';
    private static final byte[] HTTP_NAME = bytes("HTTP/");
    private static final byte[] HTTP_1_1 = bytes("HTTP/1.1");
    private static final byte[] HTTP_1_0 = bytes("HTTP/1.0");
    private static final byte[] NO_BODY = new byte[0];

    /** The first hex digits of a chunk size that can't fit {@link #MAX_BODY_SIZE}: 1 MiB is 6 digits. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 8;

    /*
     * Strings that most handshakes hold. A session keeps its handshake for its whole life, so a parsed
     * method, target, reason phrase, header name or value that matches one of these exactly, byte for byte,
     * is this one shared instance instead of a copy of its own. Names are listed as browsers and common
     * clients spell them, and in lower case, which some clients send; a name received in another case
     * ("hOsT") is kept as received, in a string of its own. Global on purpose: constant, immutable tables.
     */
    private static final KnownStrings METHODS = new KnownStrings("GET");
    private static final KnownStrings TARGETS = new KnownStrings("/");
    private static final KnownStrings REASON_PHRASES = new KnownStrings("", "Switching Protocols", "OK");
    private static final KnownStrings HEADER_NAMES = KnownStrings.withLowerCase(
            "Host",
            "Upgrade",
            "Connection",
            "Sec-WebSocket-Key",
            "Sec-WebSocket-Version",
            "Sec-WebSocket-Extensions",
            "Sec-WebSocket-Protocol",
            "Sec-WebSocket-Accept",
            "Origin",
            "User-Agent",
            "Pragma",
            "Cache-Control",
            "Accept",
            "Accept-Encoding",
            "Accept-Language",
            "Authorization",
            "Cookie",
            "Sec-Fetch-Dest",
            "Sec-Fetch-Mode",
            "Sec-Fetch-Site",
            "X-Forwarded-For",
            "X-Forwarded-Proto",
            "Server",
            "Date",
            "Content-Length",
            "Content-Type");
    private static final KnownStrings HEADER_VALUES = new KnownStrings(
            "",
            "websocket",
            "Upgrade",
            "upgrade",
            "keep-alive, Upgrade",
            "13",
            "permessage-deflate",
            "permessage-deflate; client_max_window_bits",
            "no-cache",
            "*/*",
            "gzip, deflate, br",
            "gzip, deflate, br, zstd",
            "empty",
            "same-origin",
            "same-site",
            "cross-site",
            "0");

    private enum State {
        START_LINE,
        HEADERS,
        FIXED_BODY,
        CHUNK_SIZE,
        CHUNK_DATA,
        CHUNK_DATA_END,
        TRAILERS,
        EOF_BODY,
        DONE
    }

    private final boolean parsesRequests;

    /**
     * The first capacity of {@link #line}: 256 bytes hold a typical request line and most header lines, so
     * a handshake allocates a few hundred bytes instead of the 8 KiB a longest line would need.
     */
    private static final int INITIAL_LINE_CAPACITY = 256;

    /**
     * The line being read: up to {@link #MAX_LINE_LENGTH} bytes and the CR of its CRLF. It starts at
     * {@link #INITIAL_LINE_CAPACITY} and doubles when a line needs more, never beyond {@code
     * MAX_LINE_LENGTH + 1}.
     */
    private byte[] line = new byte[INITIAL_LINE_CAPACITY];

    private int lineLength;
    private long received;
    private State state = State.START_LINE;

    private String method;
    private String target;
    /** Whether the last start line read was HTTP/1.0 (responses only). */
    private boolean http10;

    private int status;
    private String reason;
    private Headers.Builder headers = Headers.builder();
    private int headerLines;
    /** The header line being read, which obs-fold lines may continue (in responses only). */
    private String pendingName;

    private String pendingValue;
    /** The value of {@link #pendingName} once an obs-fold line continued it; {@code null} until then. */
    private StringBuilder foldedValue;

    private Headers responseHeaders;
    private byte[] body = NO_BODY;
    private int bodyLength;
    private long chunkRemaining;

    private HttpParser(boolean parsesRequests) {
        this.parsesRequests = parsesRequests;
    }

    /** A parser of a request, for a server. {@link #feed(ByteBuffer)} returns a {@link Request}. */
    public static HttpParser forRequests() {
        return new HttpParser(true);
    }

    /**
     * A parser of the response to a {@code GET} request (an opening handshake), for a client. {@link
     * #feed(ByteBuffer)} returns a {@link Response}.
     */
    public static HttpParser forResponses() {
        return new HttpParser(false);
    }

    /**
     * Consumes bytes of {@code data} until a message is complete.
     *
     * <p>When it returns {@code null}, every byte was consumed. When it returns a message,
     * {@code data.position()} is just after the message: the bytes that follow (WebSocket frames) are
     * left for the caller.
     *
     * @param data bytes received from the peer
     * @return the {@link Request} or {@link Response}, or {@code null} when more bytes are needed
     * @throws InvalidHttpMessageException if the message is invalid or exceeds a limit; the parser is
     *     finished
     * @throws IllegalStateException if the parser already returned a message or failed
     */
    public Event feed(ByteBuffer data) {
        checkNotFinished();
        int start = data.position();
        try {
            while (data.hasRemaining()) {
                Event event = step(data);
                if (event != null) {
                    state = State.DONE;
                    return event;
                }
            }
            return null;
        } catch (InvalidHttpMessageException e) {
            state = State.DONE;
            throw e;
        } finally {
            received += data.position() - start;
        }
    }

    /**
     * The HTTP version of the message read: {@code "HTTP/1.1"}, or {@code "HTTP/1.0"} for a response from an
     * HTTP/1.0 server or proxy.
     *
     * @return the version of the last start line read ({@code "HTTP/1.1"} before any)
     */
    public String httpVersion() {
        return http10 ? "HTTP/1.0" : "HTTP/1.1";
    }

    /**
     * Tells the parser that the peer closed the connection.
     *
     * @return the response, when its body is delimited by the end of the connection
     * @throws InvalidHttpMessageException (400) in every other case: the message is incomplete
     * @throws IllegalStateException if the parser already returned a message or failed
     */
    public Event feedEof() {
        checkNotFinished();
        State last = state;
        state = State.DONE;
        if (last == State.EOF_BODY) {
            return response();
        }
        String what = parsesRequests ? "request" : "response";
        String detail =
                switch (last) {
                    case START_LINE, HEADERS ->
                        received == 0
                                ? "before the " + what
                                : "while reading the " + what + " headers, after " + received + " bytes";
                    case FIXED_BODY ->
                        "while reading the response body, after " + bodyLength + " of " + body.length + " bytes";
                    default -> "while reading the chunked response body, after " + bodyLength + " bytes of body";
                };
        throw new InvalidHttpMessageException(400, "connection closed " + detail);
    }

    private void checkNotFinished() {
        if (state == State.DONE) {
            throw new IllegalStateException("the parser already returned a message or failed");
        }
    }

    private Event step(ByteBuffer data) {
        return switch (state) {
            case FIXED_BODY -> readFixedBody(data);
            case CHUNK_DATA -> readChunkData(data);
            case CHUNK_DATA_END -> readChunkDataEnd(data);
            case EOF_BODY -> readUntilEof(data);
            default -> readLine(data) ? onLine() : null;
        };
    }

    /**
     * Reads bytes into {@link #line} up to LF. Returns whether a line is complete; then
     * {@link #lineLength} excludes its CRLF. The bytes before the LF (or all of them) are copied at once.
     */
    private boolean readLine(ByteBuffer data) {
        int start = data.position();
        int limit = data.limit();
        int end = start;
        while (end < limit && data.get(end) != LF) {
            end++;
        }
        int length = lineLength + (end - start);
        // A line holds at most MAX_LINE_LENGTH bytes and the CR of its CRLF.
        if (length > MAX_LINE_LENGTH + 1) {
            throw lineTooLong();
        }
        if (length > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE_LENGTH + 1, Math.max(length, 2 * line.length)));
        }
        data.get(line, lineLength, end - start);
        lineLength = length;
        if (length == MAX_LINE_LENGTH + 1 && line[MAX_LINE_LENGTH] != CR) {
            throw lineTooLong();
        }
        if (end == limit) {
            return false;
        }
        data.get(); // the LF
        // RFC 7230 §3.5: "a recipient MAY recognize a single LF as a line terminator". We
        // don't: a parser that disagrees with an intermediary on where a line ends can be
        // fooled into reading a smuggled message.
        if (lineLength == 0 || line[lineLength - 1] != CR) {
            throw bad("line ends with a bare LF instead of CRLF: \"" + lineText(lineLength) + "\"");
        }
        lineLength--;
        return true;
    }

    /** Parses the line in {@code line[0, lineLength)}, then empties {@link #line} for the next one. */
    private Event onLine() {
        int length = lineLength;
        lineLength = 0;
        return switch (state) {
            case START_LINE -> onStartLine(length);
            case HEADERS -> onHeaderLine(length);
            case CHUNK_SIZE -> onChunkSize(lineText(length));
            default -> onTrailerLine(length);
        };
    }

    private String lineText(int length) {
        return text(0, length);
    }

    /** {@code line[from, to)} as a new string, each byte a character (ISO-8859-1). */
    private String text(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private Event onStartLine(int length) {
        if (parsesRequests) {
            // RFC 7230 §3.5: "a server that is expecting to receive and parse a request-line SHOULD
            // ignore at least one empty line (CRLF) received prior to the request-line."
            if (length == 0) {
                return null;
            }
            parseRequestLine(length);
        } else {
            parseStatusLine(length);
        }
        state = State.HEADERS;
        return null;
    }

    /** request-line = method SP request-target SP HTTP-version (RFC 7230 §3.1.1). */
    private void parseRequestLine(int length) {
        int first = indexOf(SP, 0, length);
        int second = indexOf(SP, first + 1, length);
        if (first < 0 || second < 0 || indexOf(SP, second + 1, length) >= 0) {
            throw bad("invalid request line: \"" + HttpSyntax.printable(lineText(length)) + "\"");
        }
        if (!isToken(0, first)) {
            throw bad("invalid method: \"" + HttpSyntax.printable(text(0, first)) + "\"");
        }
        if (first + 1 == second || !isTargetText(first + 1, second)) {
            throw bad("invalid request target: \"" + HttpSyntax.printable(text(first + 1, second)) + "\"");
        }
        checkVersion(second + 1, length, -1);
        method = METHODS.get(line, 0, first);
        target = TARGETS.get(line, first + 1, second);
    }

    /** status-line = HTTP-version SP status-code SP reason-phrase (RFC 7230 §3.1.2). */
    private void parseStatusLine(int length) {
        int space = indexOf(SP, 0, length);
        if (space < 0) {
            throw bad("invalid status line: \"" + HttpSyntax.printable(lineText(length)) + "\"");
        }
        checkVersion(0, space, length);
        // The SP before an empty reason phrase is sometimes left out; accept "HTTP/1.1 101".
        int codeStart = space + 1;
        int codeEnd = Math.min(length, codeStart + 3);
        if (codeEnd - codeStart != 3 || !isDigits(codeStart, codeEnd) || !(codeEnd == length || line[codeEnd] == SP)) {
            throw bad("invalid status code in status line: \"" + HttpSyntax.printable(lineText(length)) + "\"");
        }
        int value = 100 * (line[codeStart] - '0') + 10 * (line[codeStart + 1] - '0') + (line[codeStart + 2] - '0');
        // RFC 9110 §15: "Values outside the range 100..599 are invalid."
        if (value < 100 || value > 599) {
            throw bad("invalid status code: " + text(codeStart, codeEnd));
        }
        int phraseStart = codeEnd == length ? length : codeEnd + 1;
        if (indexOfNonFieldChar(phraseStart, length) >= 0) {
            throw bad("invalid reason phrase: \"" + HttpSyntax.printable(text(phraseStart, length)) + "\"");
        }
        status = value;
        reason = REASON_PHRASES.get(line, phraseStart, length);
    }

    /**
     * HTTP-version = HTTP-name "/" DIGIT "." DIGIT, HTTP-name = %x48.54.54.50 (RFC 7230 §2.6). A request must
     * be HTTP/1.1; a status line, whose length is {@code statusLine} ({@code -1} for a request line), may
     * also be HTTP/1.0.
     */
    private void checkVersion(int from, int to, int statusLine) {
        if (to - from != HTTP_1_1.length
                || !startsWith(from, HTTP_NAME)
                || !isDigits(from + 5, from + 6)
                || line[from + 6] != '.'
                || !isDigits(from + 7, to)) {
            throw bad("invalid http version: \"" + HttpSyntax.printable(text(from, to)) + "\"");
        }
        http10 = statusLine >= 0 && startsWith(from, HTTP_1_0);
        if (!startsWith(from, HTTP_1_1) && !http10) {
            throw new InvalidHttpMessageException(
                    505,
                    statusLine < 0
                            ? "unsupported http version: " + text(from, to)
                            : "unsupported http version in status line: \"" + HttpSyntax.printable(lineText(statusLine))
                                    + "\"");
        }
    }

    /** header-field = field-name ":" OWS field-value OWS (RFC 7230 §3.2). */
    private Event onHeaderLine(int length) {
        if (length == 0) {
            flushPendingHeader();
            return endOfHeaders();
        }
        if (++headerLines > MAX_HEADERS) {
            throw new InvalidHttpMessageException(431, "too many header lines: more than " + MAX_HEADERS);
        }
        if (isOws(line[0])) {
            unfold(length);
            return null;
        }
        flushPendingHeader();
        int colon = indexOf(COLON, 0, length);
        if (colon < 0) {
            throw bad("invalid header line: \"" + HttpSyntax.printable(lineText(length)) + "\"");
        }
        // RFC 7230 §3.2.4: "No whitespace is allowed between the header field-name and colon. ... A
        // server MUST reject any received request message that contains whitespace between a header
        // field-name and colon with a response code of 400 (Bad Request)." isToken rejects it.
        if (!isToken(0, colon)) {
            throw bad("invalid header name: \"" + HttpSyntax.printable(text(0, colon)) + "\"");
        }
        // The name keeps the case it was received in: HEADER_NAMES has the usual spellings only.
        pendingName = HEADER_NAMES.get(line, 0, colon);
        pendingValue = fieldValue(colon + 1, length);
        return null;
    }

    /**
     * RFC 7230 §3.2.4: "A server that receives an obs-fold in a request message ... MUST either reject
     * the message by sending a 400 (Bad Request) ... A user agent that receives an obs-fold in a
     * response message ... MUST replace each received obs-fold with one or more SP octets prior to
     * interpreting the field value."
     */
    private void unfold(int length) {
        if (pendingName == null) {
            // RFC 7230 §3: "A recipient that receives whitespace between the start-line and the first
            // header field MUST either reject the message as invalid or consume each
            // whitespace-preceded line without further processing of it".
            throw bad("whitespace before the first header: \"" + HttpSyntax.printable(lineText(length)) + "\"");
        }
        if (parsesRequests) {
            throw bad("obsolete line folding in header " + pendingName + ": \"" + HttpSyntax.printable(lineText(length))
                    + "\"");
        }
        String more = fieldValue(0, length);
        if (foldedValue == null) {
            foldedValue = new StringBuilder(pendingValue);
        }
        if (foldedValue.length() > 0 && !more.isEmpty()) {
            foldedValue.append(' ');
        }
        foldedValue.append(more);
    }

    /** The value in {@code line[from, to)} with its optional whitespace trimmed, checked against field-content. */
    private String fieldValue(int from, int to) {
        int start = from;
        int end = to;
        while (start < end && isOws(line[start])) {
            start++;
        }
        while (end > start && isOws(line[end - 1])) {
            end--;
        }
        int invalid = indexOfNonFieldChar(start, end);
        if (invalid >= 0) {
            throw bad(String.format(
                    Locale.ROOT,
                    "invalid character 0x%02x in header value: \"%s\"",
                    line[invalid] & 0xff,
                    HttpSyntax.printable(text(start, end))));
        }
        return HEADER_VALUES.get(line, start, end);
    }

    private void flushPendingHeader() {
        if (pendingName != null) {
            headers.add(pendingName, foldedValue == null ? pendingValue : foldedValue.toString());
            pendingName = null;
            pendingValue = null;
            foldedValue = null;
        }
    }

    /** The index of the first {@code b} in {@code line[from, to)}, or -1. */
    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code line[from, to)} is a token: {@code 1*tchar} (RFC 7230 §3.2.6). */
    private boolean isToken(int from, int to) {
        if (from == to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!HttpSyntax.isTokenChar((char) (line[i] & 0xff))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code line[from, to)} holds only visible US-ASCII, {@code %x21-7E}: the characters of an
     * origin-form or absolute-form request target (RFC 7230 §5.3, RFC 3986 §2).
     */
    private boolean isTargetText(int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] <= ' ' || line[i] == 0x7f) { // bytes above 0x7f are negative
                return false;
            }
        }
        return true;
    }

    /** The index of the first byte of {@code line[from, to)} that isn't a field character, or -1. */
    private int indexOfNonFieldChar(int from, int to) {
        for (int i = from; i < to; i++) {
            if (!HttpSyntax.isFieldChar((char) (line[i] & 0xff))) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code line[from, to)} holds only ASCII digits; the callers have checked its length. */
    private boolean isDigits(int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] < '0' || line[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code line} holds {@code prefix} at {@code from}. */
    private boolean startsWith(int from, byte[] prefix) {
        return KnownStrings.matches(prefix, line, from);
    }

    private static boolean isOws(byte b) {
        return b == SP || b == HTAB;
    }

    private Event endOfHeaders() {
        Headers parsed = headers.build();
        if (parsesRequests) {
            checkNoRequestBody(parsed);
            return new Request(method, target, parsed);
        }
        if (status / 100 == 1 && status != 101) {
            startNextResponse();
            return null;
        }
        responseHeaders = parsed;
        return startBody(parsed);
    }

    /**
     * RFC 6455 §4.1: "The method of the request MUST be GET", and a GET request has no body that the
     * handshake could use; reading one would only let a client smuggle bytes in before its frames.
     *
     * <p>The one {@code Content-Length} accepted is a single {@code 0} (some clients send it with every
     * request). Any other spelling of zero ({@code 00}, {@code 0, 0}, two header lines) is refused: for a
     * repeated value RFC 9110 §8.6 says a recipient "MAY either reject the message as invalid or replace
     * that invalid field value with a single instance", and leading zeros, though {@code 1*DIGIT} allows
     * them, are a spelling that parsers are not guaranteed to read alike, and a disagreement on a request's
     * length between an intermediary and the server is how requests get smuggled. A body-less upgrade
     * needs neither.
     */
    private static void checkNoRequestBody(Headers parsed) {
        if (parsed.contains("Transfer-Encoding")) {
            throw bad("unexpected body in handshake request: transfer-encoding "
                    + HttpSyntax.printable(String.join(", ", parsed.all("Transfer-Encoding"))));
        }
        List<String> contentLength = parsed.contains("Content-Length") ? parsed.all("Content-Length") : List.of();
        if (!contentLength.isEmpty() && contentLength(contentLength) != 0) {
            throw bad("unexpected body in handshake request: content-length "
                    + HttpSyntax.printable(String.join(", ", contentLength)));
        }
        if (!contentLength.isEmpty() && !contentLength.equals(List.of("0"))) {
            throw bad("ambiguous content-length in handshake request: \""
                    + HttpSyntax.printable(String.join(", ", contentLength)) + "\"");
        }
    }

    /** Interim responses are skipped; parsing starts over with the next response. */
    private void startNextResponse() {
        state = State.START_LINE;
        headers = Headers.builder();
        headerLines = 0;
        status = 0;
        reason = null;
    }

    /** The message body length of a response, per RFC 7230 §3.3.3. */
    private Event startBody(Headers parsed) {
        // RFC 7230 §3.3.3, 1: "Any response [...] with a 1xx (Informational), 204 (No Content), or 304 (Not
        // Modified) status code is always terminated by the first empty line after the header fields". The
        // request is always a GET (an opening handshake): the HEAD and CONNECT rules do not apply.
        if (status / 100 == 1 || status == 204 || status == 304) {
            return response();
        }
        List<String> transferEncoding = parsed.all("Transfer-Encoding");
        List<String> contentLength = parsed.all("Content-Length");
        if (!transferEncoding.isEmpty()) {
            // 3: "If a message is received with both a Transfer-Encoding and a Content-Length header
            // field, ... Such a message might indicate an attempt to perform request smuggling ... or
            // response splitting ... and ought to be handled as an error."
            if (!contentLength.isEmpty()) {
                throw bad("response has both transfer-encoding and content-length");
            }
            // "If a Transfer-Encoding header field is present in a response and the chunked transfer
            // coding is not the final encoding, the message body length is determined by reading the
            // connection until it is closed by the server."
            state = isChunked(transferEncoding) ? State.CHUNK_SIZE : State.EOF_BODY;
            return null;
        }
        if (!contentLength.isEmpty()) {
            long length = contentLength(contentLength);
            if (length > MAX_BODY_SIZE) {
                throw bodyTooLarge("content-length " + length);
            }
            if (length == 0) {
                return response();
            }
            body = new byte[(int) length];
            state = State.FIXED_BODY;
            return null;
        }
        // 7: "Otherwise, this is a response message without a declared message body length, so the
        // message body length is determined by the number of octets received prior to the server
        // closing the connection."
        state = State.EOF_BODY;
        return null;
    }

    /** Whether chunked is the final transfer coding (codings are compared case-insensitively). */
    private static boolean isChunked(List<String> transferEncoding) {
        String last = "";
        for (String value : transferEncoding) {
            for (String coding : value.split(",", -1)) {
                int parameters = coding.indexOf(';');
                String name = (parameters < 0 ? coding : coding.substring(0, parameters)).strip();
                if (!name.isEmpty()) {
                    last = name;
                }
            }
        }
        return last.equalsIgnoreCase("chunked");
    }

    /**
     * RFC 7230 §3.3.3, 4: "If a message is received without Transfer-Encoding and with either
     * multiple Content-Length header fields having differing field-values or a single Content-Length
     * header field having an invalid value, then the message framing is invalid and the recipient
     * MUST treat it as an unrecoverable error." Identical repeated values ("5, 5") are accepted, as
     * §3.3.2 allows. Lengths too large for a long saturate to {@link Long#MAX_VALUE}.
     */
    private static long contentLength(List<String> values) {
        long length = -1;
        for (String value : values) {
            for (String element : value.split(",", -1)) {
                String digits = element.strip();
                if (!isDigits(digits)) {
                    throw bad("invalid content-length: \"" + HttpSyntax.printable(String.join(", ", values)) + "\"");
                }
                long parsed = parseDecimal(digits);
                if (length >= 0 && parsed != length) {
                    throw bad(
                            "conflicting content-length: \"" + HttpSyntax.printable(String.join(", ", values)) + "\"");
                }
                length = parsed;
            }
        }
        return length;
    }

    private static long parseDecimal(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        // 18 digits always fit in a long (Long.MAX_VALUE has 19).
        return significant.length() > 18 ? Long.MAX_VALUE : Long.parseLong(significant);
    }

    private Event readFixedBody(ByteBuffer data) {
        int count = Math.min(data.remaining(), body.length - bodyLength);
        data.get(body, bodyLength, count);
        bodyLength += count;
        return bodyLength == body.length ? response() : null;
    }

    /** chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF (RFC 7230 §4.1). Extensions are ignored. */
    private Event onChunkSize(String text) {
        int extensions = text.indexOf(';');
        String size = (extensions < 0 ? text : text.substring(0, extensions)).stripTrailing();
        if (!isNumeral(size, 16)) {
            throw bad("invalid chunk size: \"" + HttpSyntax.printable(text) + "\"");
        }
        String significant = size.replaceFirst("^0+(?=.)", "");
        long length = significant.length() > MAX_CHUNK_SIZE_DIGITS ? Long.MAX_VALUE : Long.parseLong(significant, 16);
        if (length > MAX_BODY_SIZE - bodyLength) {
            throw bodyTooLarge("chunk of " + length + " bytes after " + bodyLength + " bytes");
        }
        if (length == 0) {
            headerLines = 0;
            state = State.TRAILERS;
        } else {
            chunkRemaining = length;
            state = State.CHUNK_DATA;
        }
        return null;
    }

    private Event readChunkData(ByteBuffer data) {
        int count = (int) Math.min(data.remaining(), chunkRemaining);
        append(data, count);
        chunkRemaining -= count;
        if (chunkRemaining == 0) {
            state = State.CHUNK_DATA_END;
        }
        return null;
    }

    /** The CRLF after chunk-data; {@link #lineLength} counts its bytes. */
    private Event readChunkDataEnd(ByteBuffer data) {
        byte b = data.get();
        if (b != (lineLength == 0 ? CR : LF)) {
            throw bad(String.format(Locale.ROOT, "chunk data not followed by CRLF: got 0x%02x", b & 0xff));
        }
        if (++lineLength == 2) {
            lineLength = 0;
            state = State.CHUNK_SIZE;
        }
        return null;
    }

    /** trailer-part = *( header-field CRLF ) (RFC 7230 §4.1.2); trailers are counted and discarded. */
    private Event onTrailerLine(int length) {
        if (length == 0) {
            return response();
        }
        if (++headerLines > MAX_HEADERS) {
            throw new InvalidHttpMessageException(431, "too many trailer lines: more than " + MAX_HEADERS);
        }
        return null;
    }

    private Event readUntilEof(ByteBuffer data) {
        if (data.remaining() > MAX_BODY_SIZE - bodyLength) {
            throw bodyTooLarge("more than " + MAX_BODY_SIZE + " bytes before the end of the connection");
        }
        append(data, data.remaining());
        return null;
    }

    private void append(ByteBuffer data, int count) {
        if (bodyLength + count > body.length) {
            int capacity = Math.max(bodyLength + count, Math.min(MAX_BODY_SIZE, Math.max(256, body.length * 2)));
            body = Arrays.copyOf(body, capacity);
        }
        data.get(body, bodyLength, count);
        bodyLength += count;
    }

    private Response response() {
        byte[] content = bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
        return new Response(status, reason, responseHeaders, content);
    }

    private InvalidHttpMessageException lineTooLong() {
        String what =
                switch (state) {
                    case START_LINE -> parsesRequests ? "request line" : "status line";
                    case HEADERS -> "header line";
                    case CHUNK_SIZE -> "chunk size line";
                    default -> "trailer line";
                };
        String message = what + " too long: more than " + MAX_LINE_LENGTH + " bytes";
        // RFC 7230 §3.1.1: "A server that receives a request-target longer than any URI it wishes to
        // parse MUST respond with a 414 (URI Too Long) status code".
        return new InvalidHttpMessageException(state == State.START_LINE && parsesRequests ? 414 : 431, message);
    }

    private static InvalidHttpMessageException bodyTooLarge(String detail) {
        return new InvalidHttpMessageException(
                413, "response body too large: " + detail + ", limit " + MAX_BODY_SIZE + " bytes");
    }

    private static InvalidHttpMessageException bad(String message) {
        return new InvalidHttpMessageException(400, message);
    }

    private static boolean isDigits(String text) {
        return isNumeral(text, 10);
    }

    /** Whether {@code text} is one or more ASCII digits of {@code radix}. */
    private static boolean isNumeral(String text, int radix) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || Character.digit(c, radix) < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A fixed set of ASCII strings, looked up by the bytes of a line: {@link #get} compares bytes, so a
     * match costs no new string and no hash code. Thread-safe: never changed after construction.
     */
    private static final class KnownStrings {
        /** {@code strings[n]}: the strings of n characters. */
        private final String[][] strings;
        /** {@code bytes[n][i]}: the bytes of {@code strings[n][i]}. */
        private final byte[][][] bytes;

        KnownStrings(String... known) {
            int longest = 0;
            for (String string : known) {
                longest = Math.max(longest, string.length());
            }
            strings = new String[longest + 1][0];
            bytes = new byte[longest + 1][0][];
            for (String string : known) {
                int n = string.length();
                strings[n] = Arrays.copyOf(strings[n], strings[n].length + 1);
                strings[n][strings[n].length - 1] = string;
                bytes[n] = Arrays.copyOf(bytes[n], bytes[n].length + 1);
                bytes[n][bytes[n].length - 1] = HttpParser.bytes(string);
            }
        }

        /** The strings and the lower-case spelling of each. */
        static KnownStrings withLowerCase(String... known) {
            List<String> all = new ArrayList<>(Arrays.asList(known));
            for (String string : known) {
                all.add(string.toLowerCase(Locale.ROOT));
            }
            return new KnownStrings(all.toArray(new String[0]));
        }

        /** The known string whose characters are the bytes {@code line[from, to)}, else a new string of them. */
        String get(byte[] line, int from, int to) {
            int length = to - from;
            if (length < strings.length) {
                byte[][] candidates = bytes[length];
                for (int i = 0; i < candidates.length; i++) {
                    if (matches(candidates[i], line, from)) {
                        return strings[length][i];
                    }
                }
            }
            return new String(line, from, length, StandardCharsets.ISO_8859_1);
        }

        /** Whether {@code line} holds {@code expected} at {@code from}; the caller checks the length. */
        static boolean matches(byte[] expected, byte[] line, int from) {
            for (int i = 0; i < expected.length; i++) {
                if (line[from + i] != expected[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
