/**
 * The WebSocket client: {@code WebSocketClient} and its options, proxies, TLS, reconnect and the
 * blocking API. Thin over {@code dev.wsflux.core}: it makes the connection and runs the client
 * handshake.
 */
package dev.wsflux.client;
