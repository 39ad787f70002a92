package dev.wsflux.samples;

import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import reactor.core.publisher.Flux;

/**
 * {@code demo}: the README's "run it" command. Starts an echo server on a free port of 127.0.0.1,
 * connects a client, sends text and binary messages and prints each with its echo, pings and prints the
 * round-trip time, closes cleanly, prints the close status and exits 0. Not thread-safe; one per run.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start an echo server, connect to it, exchange a few messages, close. Exits 0.")
final class DemoCommand extends Main.Streams implements Callable<Integer> {
    /** How long each step may take before the demo gives up. */
    private static final Duration STEP = Duration.ofSeconds(10);

    /** The messages sent, in order: plain text, non-ASCII text, and binary. */
    static final List<Message> MESSAGES = List.of(
            Message.text("Hello, wsflux!"),
            Message.text("Grüße, 世界 ✓"),
            Message.binary("\u0000\u0001\u0002wsflux\u00ff".getBytes(StandardCharsets.ISO_8859_1)));

    @Override
    public Integer call() {
        RunningServer server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(EchoServerCommand::echo)
                .bindNow();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/demo");
            out.println("echo server listening on ws://127.0.0.1:" + server.port());
            WebSocketSession session =
                    WebSocketClient.create().noProxy().connect(uri).block(STEP);
            out.println("connected to " + uri + ", extensions " + session.extensions());

            // Send every message and pair each with its echo: zip keeps the output in order.
            Flux.fromIterable(MESSAGES)
                    .concatMap(message -> session.send(message).thenReturn(message))
                    .zipWith(session.receive())
                    .doOnNext(pair -> {
                        out.println("> " + MessageFormat.withOpcode(pair.getT1()));
                        out.println("< " + MessageFormat.withOpcode(pair.getT2()));
                    })
                    .take(MESSAGES.size())
                    .blockLast(STEP);

            Duration rtt = session.ping().block(STEP);
            out.println(String.format(Locale.ROOT, "ping: round trip %.3f ms", rtt.toNanos() / 1e6));

            session.close(1000, "demo done").block(STEP);
            CloseStatus status = session.closeStatus().block(STEP);
            out.println("closed: " + status);
            return 0;
        } finally {
            server.shutdownNow();
        }
    }
}
