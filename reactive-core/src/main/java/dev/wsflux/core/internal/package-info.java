/**
 * The session engine: one Sans-I/O protocol object per connection, run on a Reactor Netty
 * {@code Connection}'s event loop, behind the {@link dev.wsflux.core.WebSocketSession} facade. Its entry
 * points for reactive-client and reactive-server are {@link dev.wsflux.core.internal.Engines}. Internal:
 * not exported to applications (see {@code module-info}), no compatibility promise.
 */
package dev.wsflux.core.internal;
