/**
 * Interoperability tests: wsflux against real WebSocket peers (Python websockets, websocket-client, libsoup, Node
 * ws, headless Chromium, nginx as a reverse proxy), each over loopback. A peer missing on the machine skips its
 * test; CI installs every peer (see {@code interop/ci-packages.txt}), so nothing skips there.
 */
package dev.wsflux.interop;
