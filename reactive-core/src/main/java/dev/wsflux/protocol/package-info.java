/**
 * The Sans-I/O WebSocket protocol: bytes and calls come in, events and bytes go out.
 *
 * <p>This package depends on the JDK only (no threads, clocks, sockets, Reactor or Netty), which a
 * test enforces. {@link dev.wsflux.protocol.ClientProtocol} and {@link dev.wsflux.protocol.ServerProtocol}
 * implement <a href="https://www.rfc-editor.org/rfc/rfc6455">RFC 6455</a> and, through the extension
 * SPI, <a href="https://www.rfc-editor.org/rfc/rfc7692">RFC 7692</a>; an I/O layer drives them.
 */
package dev.wsflux.protocol;
