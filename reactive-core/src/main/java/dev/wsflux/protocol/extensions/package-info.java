/**
 * The extension SPI (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-9">RFC 6455 §9</a>): an
 * {@link dev.wsflux.protocol.extensions.Extension} transforms frames; client and server factories negotiate
 * them from the {@code Sec-WebSocket-Extensions} offers. Depends on {@code frames} and {@code http11}.
 */
package dev.wsflux.protocol.extensions;
