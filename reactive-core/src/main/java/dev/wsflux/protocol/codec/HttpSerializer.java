package dev.wsflux.protocol.codec;

import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.HttpSyntax;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.nio.ByteBuffer;

/**
 * The wire form of {@link Request} and {@link Response}: request or status line, header lines, empty line,
 * body (<a href="https://www.rfc-editor.org/rfc/rfc7230#section-3">RFC 7230 §3</a>). Header values are strings
 * whose characters are the header's bytes (ISO-8859-1), as {@link HttpParser} produces them, so parsing and
 * serializing is lossless. Stateless; thread-safe.
 */
public final class HttpSerializer {
    /** The only HTTP version we send: at the end of a request line, at the start of a status line. */
    private static final String HTTP_1_1 = "HTTP/1.1";

    private static final String CRLF = "\r\n";

    private HttpSerializer() {}

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
        if (!HttpSyntax.isToken(request.method())) {
            throw new IllegalArgumentException("invalid method: " + HttpSyntax.printable(request.method()));
        }
        String path = request.path();
        if (path.isEmpty() || !HttpSyntax.isVisibleAscii(path)) {
            throw new IllegalArgumentException("invalid request target: " + HttpSyntax.printable(path));
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
        if (!HttpSyntax.isFieldText(response.reason())) {
            throw new IllegalArgumentException("invalid reason phrase: " + HttpSyntax.printable(response.reason()));
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
            if (!HttpSyntax.isToken(name)) {
                throw new IllegalArgumentException("invalid header name: " + HttpSyntax.printable(name));
            }
            if (!HttpSyntax.isFieldText(value)) {
                throw new IllegalArgumentException(
                        "invalid value of header " + name + ": " + HttpSyntax.printable(value));
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
}
