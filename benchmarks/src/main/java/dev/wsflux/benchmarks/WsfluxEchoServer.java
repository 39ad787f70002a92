package dev.wsflux.benchmarks;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.time.Duration;

/**
 * The wsflux side of the end-to-end benchmark: an echo server on {@link WebSocketServer} that sends every
 * message back with its type. Options are the defaults except a 16 MiB message limit (as for the Reactor
 * Netty baseline); permessage-deflate is on, as by default.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.wsflux.benchmarks.WsfluxEchoServer
 * [host] [port]}; run-e2e.sh adds the JVM flags ({@code -Dreactor.netty.ioWorkerCount=1} gives one event
 * loop).
 */
public final class WsfluxEchoServer {
    private WsfluxEchoServer() {}

    /**
     * Starts the server and blocks until the JVM is asked to stop.
     *
     * @param args {@code [host] [port]}
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        EchoServerArgs parsed = EchoServerArgs.parse(args);
        RunningServer server = WebSocketServer.create()
                .host(parsed.host())
                .port(parsed.port())
                .options(SessionOptions.builder()
                        .maxSize(EchoServerArgs.MAX_MESSAGE_SIZE)
                        .build())
                .handle(session -> session.send(session.receive()))
                .bindNow();
        EchoServerArgs.awaitShutdown(
                "wsflux", parsed.host(), server.port(), () -> server.shutdown(1001, "", Duration.ofSeconds(2))
                        .block(Duration.ofSeconds(5)));
    }
}
