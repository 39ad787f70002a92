/**
 * The Sans-I/O WebSocket connection: bytes and calls come in, events and bytes go out.
 * {@link dev.wsflux.protocol.ClientProtocol} and {@link dev.wsflux.protocol.ServerProtocol} implement
 * <a href="https://www.rfc-editor.org/rfc/rfc6455">RFC 6455</a> and, through the extension SPI,
 * <a href="https://www.rfc-editor.org/rfc/rfc7692">RFC 7692</a>; an I/O layer drives them.
 *
 * <p>The top of the protocol's layers, which depend on the JDK only (no threads, clocks, sockets, Reactor or
 * Netty; a test enforces it): {@code frames} (the vocabulary) ← {@code http11} ← {@code extensions} ←
 * {@code extensions.permessagedeflate}; {@code codec} (parsers and serializers) ← this package. See
 * docs/ARCHITECTURE.md.
 */
package dev.wsflux.protocol;
