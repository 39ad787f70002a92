package dev.wsflux.conformance;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;

/**
 * The server under test: a wsflux echo server (every message echoed with its type) with {@code maxSize} raised
 * to 16 MiB for 9.x and permessage-deflate on for 12.x/13.x, bound to 127.0.0.1 on a free port. It stands in
 * for the samples module's {@code echo-server} until the suite is pointed at that.
 */
final class EchoTestee {

    /** The largest 9.x message. */
    static final long MAX_SIZE = 16L << 20; // 16 MiB

    private EchoTestee() {}

    static RunningServer start() {
        return WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .compression(true)
                .options(SessionOptions.builder().maxSize(MAX_SIZE).build())
                .handle(session -> session.send(session.receive()))
                .bindNow();
    }
}
