/**
 * The HTTP/1.1 side of the opening handshake (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-4">RFC 6455
 * §4</a>, <a href="https://www.rfc-editor.org/rfc/rfc7230">RFC 7230</a>): requests, responses and headers, the
 * one place for HTTP syntax ({@link dev.wsflux.protocol.http11.HttpSyntax}), the handshake's header grammars,
 * keys, Basic credentials, {@code ws://} URIs, and the handshake's exceptions. Depends on {@code frames}.
 */
package dev.wsflux.protocol.http11;
