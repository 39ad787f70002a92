package dev.wsflux.conformance;

import dev.wsflux.samples.Testees;
import dev.wsflux.server.RunningServer;

/**
 * The server under test: the samples' {@code echo-server} (every message echoed with its type, permessage-deflate
 * on), configured from its command line exactly as the README tells Autobahn users to run it:
 * {@code echo-server --max-size 16777216} for the 9.x cases, bound to 127.0.0.1 on a free port.
 */
final class EchoTestee {

    /** The largest 9.x message. */
    static final long MAX_SIZE = 16L << 20; // 16 MiB

    private EchoTestee() {}

    static RunningServer start() {
        return Testees.echoServer("--host", "127.0.0.1", "--port", "0", "--max-size", Long.toString(MAX_SIZE))
                .bindNow();
    }
}
