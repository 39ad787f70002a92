package dev.wsflux.samples;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.reactivestreams.Publisher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code echo-server}: echoes every message back with its type (text stays text, binary stays binary) on
 * every path. Prints {@code listening on ws://H:P} once it accepts connections and stops cleanly on
 * SIGTERM or SIGINT: open sessions are closed with 1001 (going away), waiting up to 10 s.
 *
 * <p>For the Autobahn|Testsuite 9.x cases (messages up to 16 MiB) run it with
 * {@code --max-size 16777216}; the default limit, 1 MiB, fails those cases with 1009 on purpose.
 *
 * <p>Not thread-safe; one instance per run.
 */
@Command(
        name = "echo-server",
        mixinStandardHelpOptions = true,
        description = {
            "Echo every message back, text as text and binary as binary, on any path.",
            "For the Autobahn|Testsuite 9.x cases (messages up to 16 MiB) use --max-size 16777216."
        })
final class EchoServerCommand extends Main.Streams implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(
            names = "--port",
            defaultValue = "8765",
            description = "port to bind, 0 for any free port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--no-compression", description = "do not accept permessage-deflate")
    boolean noCompression;

    @Option(
            names = "--max-size",
            paramLabel = "BYTES",
            description = "largest message accepted, after decompression (a compressed one may be larger on the"
                    + " wire); 0 for no limit (default: 1048576)")
    long maxSize = SessionOptions.DEFAULT_MAX_SIZE;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "serve wss:// with this certificate chain")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "the PKCS#8 private key of --tls-cert")
    Path tlsKey;

    /** The echo handler: every received message is sent back as it came. */
    static Publisher<Void> echo(WebSocketSession session) {
        return session.send(session.receive());
    }

    /** The server these options describe (not yet bound). */
    WebSocketServer server() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        WebSocketServer server = WebSocketServer.create()
                .host(host)
                .port(port)
                .compression(!noCompression)
                .options(SessionOptions.builder().maxSize(maxSize).build())
                .handle(EchoServerCommand::echo);
        return tlsCert != null ? server.tls(tlsCert, tlsKey) : server;
    }

    /** {@code host:port}, with an IPv6 literal in brackets. */
    static String authority(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public Integer call() throws InterruptedException {
        RunningServer running = server().bindNow();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    running.shutdownNow();
                    stopped.countDown();
                },
                "echo-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("listening on " + (tlsCert != null ? "wss" : "ws") + "://" + authority(host, running.port()));
        out.flush();
        stopped.await();
        return 0;
    }
}
