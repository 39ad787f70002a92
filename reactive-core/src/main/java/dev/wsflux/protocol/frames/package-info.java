/**
 * The WebSocket frame vocabulary (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-5">RFC 6455 §5</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc6455#section-7.4">§7.4</a>): {@link dev.wsflux.protocol.frames.Frame},
 * {@link dev.wsflux.protocol.frames.Opcode}, close codes and statuses, the wire constants
 * ({@link dev.wsflux.protocol.frames.WireFormat}), mask keys, and the exceptions of the connection
 * (rooted at {@link dev.wsflux.protocol.frames.WebSocketException}). JDK only; the bottom layer of the protocol.
 */
package dev.wsflux.protocol.frames;
