/**
 * The WebSocket server: {@code WebSocketServer}, routes, request and response hooks, broadcast and
 * graceful shutdown. Thin over {@code dev.wsflux.core}: it accepts connections and runs the server
 * handshake.
 */
package dev.wsflux.server;
