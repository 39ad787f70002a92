package dev.wsflux.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>It is strict where leniency has led to request smuggling, and fails with the status a server
 * answers ({@link InvalidHttpMessageException#status()}):
 *
 * <ul>
 *   <li>400: a malformed start line or header line, a header name that isn't a token (this includes
 *       whitespace before the colon), a control character, a line that ends with a bare LF instead of
 *       CRLF (RFC 7230 §3.5 allows but doesn't require accepting them), a request with a body, a
 *       response with invalid framing headers, the connection closing before the end of the message;
 *   <li>414: a request line longer than {@link #MAX_LINE_LENGTH};
 *   <li>431: a header line longer than {@link #MAX_LINE_LENGTH}, more than {@link #MAX_HEADERS}
 *       header lines;
 *   <li>413: a response body longer than {@link #MAX_BODY_SIZE} (no server answers a response; the
 *       status only classifies the error);
 *   <li>505: a well-formed HTTP version other than HTTP/1.1 (HTTP/1.0 is also accepted in a response
 *       to {@code CONNECT}, because some proxies still answer with it).
 * </ul>
 *
 * <p>Responses: interim 1xx responses other than 101 (such as {@code 100 Continue} or {@code 103
 * Early Hints}) are skipped, as RFC 9110 §15.2 requires ("A client MUST be able to parse one or more
 * 1xx responses received prior to a final response, even if the client does not expect one"). The
 * body is read per RFC 7230 §3.3.3: none for 1xx, 204, 304, a response to {@code HEAD} or a 2xx
 * response to {@code CONNECT}; otherwise chunked (chunked is decoded, other transfer codings are
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
    private static final byte[] NO_BODY = new byte[0];

    /** The first hex digits of a chunk size that can't fit {@link #MAX_BODY_SIZE}: 1 MiB is 6 digits. */
    private static final int MAX_CHUNK_SIZE_DIGITS = 8;

    /** The most message bytes quoted in an error message. */
    private static final int MAX_QUOTED = 80;

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
    /** Responses: the method of the request they answer; decides whether there is a body. */
    private final String requestMethod;

    /** The line being read: up to {@link #MAX_LINE_LENGTH} bytes and the CR of its CRLF. */
    private final byte[] line = new byte[MAX_LINE_LENGTH + 1];

    private int lineLength;
    private long received;
    private State state = State.START_LINE;

    private String method;
    private String target;
    private int status;
    private String reason;
    private Headers.Builder headers = Headers.builder();
    private int headerLines;
    private String pendingName;
    private StringBuilder pendingValue;
    private Headers responseHeaders;
    private byte[] body = NO_BODY;
    private int bodyLength;
    private long chunkRemaining;

    private HttpParser(boolean parsesRequests, String requestMethod) {
        this.parsesRequests = parsesRequests;
        this.requestMethod = requestMethod;
    }

    /** A parser of a request, for a server. {@link #feed(ByteBuffer)} returns a {@link Request}. */
    public static HttpParser forRequests() {
        return new HttpParser(true, null);
    }

    /**
     * A parser of the response to a {@code GET} request, for a client. {@link #feed(ByteBuffer)}
     * returns a {@link Response}.
     */
    public static HttpParser forResponses() {
        return forResponsesTo("GET");
    }

    /**
     * A parser of the response to a request with {@code method}: a response to {@code HEAD} has no
     * body, and a 2xx response to {@code CONNECT} (a proxy tunnel) has no body and may be HTTP/1.0.
     *
     * @param method the request method, case-sensitive (RFC 7230 §3.1.1)
     * @return the parser
     */
    public static HttpParser forResponsesTo(String method) {
        if (!Handshake.isToken(method)) {
            throw new IllegalArgumentException("invalid method: " + printable(method));
        }
        return new HttpParser(false, method);
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
     * {@link #lineLength} excludes its CRLF.
     */
    private boolean readLine(ByteBuffer data) {
        while (data.hasRemaining()) {
            byte b = data.get();
            if (b == LF) {
                // RFC 7230 §3.5: "a recipient MAY recognize a single LF as a line terminator". We
                // don't: a parser that disagrees with an intermediary on where a line ends can be
                // fooled into reading a smuggled message.
                if (lineLength == 0 || line[lineLength - 1] != CR) {
                    throw bad("line ends with a bare LF instead of CRLF: \"" + lineText(lineLength) + "\"");
                }
                lineLength--;
                return true;
            }
            if (lineLength >= MAX_LINE_LENGTH && !(lineLength == MAX_LINE_LENGTH && b == CR)) {
                throw lineTooLong();
            }
            line[lineLength++] = b;
        }
        return false;
    }

    private Event onLine() {
        String text = lineText(lineLength);
        lineLength = 0;
        return switch (state) {
            case START_LINE -> onStartLine(text);
            case HEADERS -> onHeaderLine(text);
            case CHUNK_SIZE -> onChunkSize(text);
            default -> onTrailerLine(text);
        };
    }

    private String lineText(int length) {
        return new String(line, 0, length, StandardCharsets.ISO_8859_1);
    }

    private Event onStartLine(String text) {
        if (parsesRequests) {
            // RFC 7230 §3.5: "a server that is expecting to receive and parse a request-line SHOULD
            // ignore at least one empty line (CRLF) received prior to the request-line."
            if (text.isEmpty()) {
                return null;
            }
            parseRequestLine(text);
        } else {
            parseStatusLine(text);
        }
        state = State.HEADERS;
        return null;
    }

    /** request-line = method SP request-target SP HTTP-version (RFC 7230 §3.1.1). */
    private void parseRequestLine(String text) {
        int first = text.indexOf(' ');
        int second = text.indexOf(' ', first + 1);
        if (first < 0 || second < 0 || text.indexOf(' ', second + 1) >= 0) {
            throw bad("invalid request line: \"" + printable(text) + "\"");
        }
        String parsedMethod = text.substring(0, first);
        if (!Handshake.isToken(parsedMethod)) {
            throw bad("invalid method: \"" + printable(parsedMethod) + "\"");
        }
        String requestTarget = text.substring(first + 1, second);
        if (requestTarget.isEmpty() || !requestTarget.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw bad("invalid request target: \"" + printable(requestTarget) + "\"");
        }
        checkVersion(text.substring(second + 1), false);
        method = parsedMethod;
        target = requestTarget;
    }

    /** status-line = HTTP-version SP status-code SP reason-phrase (RFC 7230 §3.1.2). */
    private void parseStatusLine(String text) {
        int space = text.indexOf(' ');
        if (space < 0) {
            throw bad("invalid status line: \"" + printable(text) + "\"");
        }
        checkVersion(text.substring(0, space), requestMethod.equals("CONNECT"));
        // The SP before an empty reason phrase is sometimes left out; accept "HTTP/1.1 101".
        String code = text.substring(space + 1, Math.min(text.length(), space + 4));
        String rest = text.substring(space + 1 + code.length());
        if (!isDigits(code) || code.length() != 3 || !(rest.isEmpty() || rest.charAt(0) == ' ')) {
            throw bad("invalid status code in status line: \"" + printable(text) + "\"");
        }
        int value = Integer.parseInt(code);
        // RFC 9110 §15: "Values outside the range 100..599 are invalid."
        if (value < 100 || value > 599) {
            throw bad("invalid status code: " + code);
        }
        String phrase = rest.isEmpty() ? "" : rest.substring(1);
        if (!phrase.chars().allMatch(c -> Handshake.isFieldChar((char) c))) {
            throw bad("invalid reason phrase: \"" + printable(phrase) + "\"");
        }
        status = value;
        reason = phrase;
    }

    /** HTTP-version = HTTP-name "/" DIGIT "." DIGIT, HTTP-name = %x48.54.54.50 (RFC 7230 §2.6). */
    private static void checkVersion(String version, boolean acceptHttp10) {
        if (version.length() != 8
                || !version.startsWith("HTTP/")
                || !isDigits(version.substring(5, 6))
                || version.charAt(6) != '.'
                || !isDigits(version.substring(7))) {
            throw bad("invalid http version: \"" + printable(version) + "\"");
        }
        if (!version.equals("HTTP/1.1") && !(acceptHttp10 && version.equals("HTTP/1.0"))) {
            throw new InvalidHttpMessageException(505, "unsupported http version: " + version);
        }
    }

    /** header-field = field-name ":" OWS field-value OWS (RFC 7230 §3.2). */
    private Event onHeaderLine(String text) {
        if (text.isEmpty()) {
            flushPendingHeader();
            return endOfHeaders();
        }
        if (++headerLines > MAX_HEADERS) {
            throw new InvalidHttpMessageException(431, "too many header lines: more than " + MAX_HEADERS);
        }
        if (Handshake.isOws(text.charAt(0))) {
            unfold(text);
            return null;
        }
        flushPendingHeader();
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw bad("invalid header line: \"" + printable(text) + "\"");
        }
        // RFC 7230 §3.2.4: "No whitespace is allowed between the header field-name and colon. ... A
        // server MUST reject any received request message that contains whitespace between a header
        // field-name and colon with a response code of 400 (Bad Request)." isToken rejects it.
        String name = text.substring(0, colon);
        if (!Handshake.isToken(name)) {
            throw bad("invalid header name: \"" + printable(name) + "\"");
        }
        pendingName = name;
        pendingValue = new StringBuilder(fieldValue(text.substring(colon + 1)));
        return null;
    }

    /**
     * RFC 7230 §3.2.4: "A server that receives an obs-fold in a request message ... MUST either reject
     * the message by sending a 400 (Bad Request) ... A user agent that receives an obs-fold in a
     * response message ... MUST replace each received obs-fold with one or more SP octets prior to
     * interpreting the field value."
     */
    private void unfold(String text) {
        if (pendingName == null) {
            // RFC 7230 §3: "A recipient that receives whitespace between the start-line and the first
            // header field MUST either reject the message as invalid or consume each
            // whitespace-preceded line without further processing of it".
            throw bad("whitespace before the first header: \"" + printable(text) + "\"");
        }
        if (parsesRequests) {
            throw bad("obsolete line folding in header " + pendingName + ": \"" + printable(text) + "\"");
        }
        String more = fieldValue(text);
        if (pendingValue.length() > 0 && !more.isEmpty()) {
            pendingValue.append(' ');
        }
        pendingValue.append(more);
    }

    /** The value with its optional whitespace trimmed, checked against field-content. */
    private static String fieldValue(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && Handshake.isOws(raw.charAt(start))) {
            start++;
        }
        while (end > start && Handshake.isOws(raw.charAt(end - 1))) {
            end--;
        }
        String value = raw.substring(start, end);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Handshake.isFieldChar(c)) {
                throw bad(String.format(
                        Locale.ROOT, "invalid character 0x%02x in header value: \"%s\"", (int) c, printable(value)));
            }
        }
        return value;
    }

    private void flushPendingHeader() {
        if (pendingName != null) {
            headers.add(pendingName, pendingValue.toString());
            pendingName = null;
        }
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
     */
    private static void checkNoRequestBody(Headers parsed) {
        List<String> transferEncoding = parsed.all("Transfer-Encoding");
        if (!transferEncoding.isEmpty()) {
            throw bad("unexpected body in handshake request: transfer-encoding "
                    + printable(String.join(", ", transferEncoding)));
        }
        List<String> contentLength = parsed.all("Content-Length");
        if (!contentLength.isEmpty() && contentLength(contentLength) != 0) {
            throw bad("unexpected body in handshake request: content-length "
                    + printable(String.join(", ", contentLength)));
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
        // RFC 7230 §3.3.3, 1: "Any response to a HEAD request and any response with a 1xx
        // (Informational), 204 (No Content), or 304 (Not Modified) status code is always terminated by
        // the first empty line after the header fields".
        // 2: "Any 2xx (Successful) response to a CONNECT request implies that the connection will
        // become a tunnel immediately after the empty line that concludes the header fields."
        if (requestMethod.equals("HEAD")
                || status / 100 == 1
                || status == 204
                || status == 304
                || (requestMethod.equals("CONNECT") && status / 100 == 2)) {
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
                    throw bad("invalid content-length: \"" + printable(String.join(", ", values)) + "\"");
                }
                long parsed = parseDecimal(digits);
                if (length >= 0 && parsed != length) {
                    throw bad("conflicting content-length: \"" + printable(String.join(", ", values)) + "\"");
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
        if (size.isEmpty() || !size.chars().allMatch(c -> c < 0x80 && Character.digit(c, 16) >= 0)) {
            throw bad("invalid chunk size: \"" + printable(text) + "\"");
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
    private Event onTrailerLine(String text) {
        if (text.isEmpty()) {
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
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * {@code text} made safe for an error message: at most {@value #MAX_QUOTED} characters, control
     * characters, quotes, backslashes and characters above {@code U+007E} escaped as {@code \xNN} (or
     * {@code \\uNNNN}).
     */
    static String printable(String text) {
        StringBuilder result = new StringBuilder();
        int length = Math.min(text.length(), MAX_QUOTED);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= ' ' && c < 0x7f && c != '"' && c != '\\') {
                result.append(c);
            } else if (c <= 0xff) {
                result.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                result.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return text.length() > MAX_QUOTED ? result.append("...").toString() : result.toString();
    }
}
