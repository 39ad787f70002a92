package dev.wsflux.protocol.frames;

import dev.wsflux.protocol.Protocol;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;

/**
 * Something a {@link Protocol} received: the handshake {@link Request} (server side), the handshake
 * {@link Response} (client side), or a {@link Frame}.
 *
 * <p>{@link Protocol#eventsReceived()} returns events in the order they were parsed.
 */
public sealed interface Event permits Request, Response, Frame {}
