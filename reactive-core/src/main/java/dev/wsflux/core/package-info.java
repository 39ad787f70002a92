/**
 * The reactive layer: {@link dev.wsflux.core.WebSocketSession}, {@link dev.wsflux.core.Message},
 * {@link dev.wsflux.core.SessionOptions} and the session engine that runs one Sans-I/O protocol
 * object per connection on a Reactor Netty {@code Connection}'s event loop.
 *
 * <p>No Netty type and no reference-counted buffer appears in this package's public API.
 */
package dev.wsflux.core;
