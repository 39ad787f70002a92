/**
 * The reactive API shared by client and server: {@link dev.wsflux.core.WebSocketSession},
 * {@link dev.wsflux.core.Message}, {@link dev.wsflux.core.SessionOptions} and
 * {@link dev.wsflux.core.MemoryBudget}. The engine that implements sessions is in
 * {@code dev.wsflux.core.internal}.
 *
 * <p>No Netty type and no reference-counted buffer appears in this package's public API.
 */
package dev.wsflux.core;
