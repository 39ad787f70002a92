package dev.wsflux.benchmarks;

import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The baseline of the end-to-end benchmark: Reactor Netty's built-in WebSocket server ({@code HttpServer}
 * with a {@code ws} route) echoing every frame back, the way a Reactor user would write it. Like
 * {@link WsfluxEchoServer}: 16 MiB frames allowed (the default of 64 KiB would refuse the 1 MiB
 * scenario), permessage-deflate on, pings answered by Reactor Netty itself.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.wsflux.benchmarks.ReactorNettyEchoServer
 * [host] [port]}.
 */
public final class ReactorNettyEchoServer {
    private ReactorNettyEchoServer() {}

    /**
     * Starts the server and blocks until the JVM is asked to stop.
     *
     * @param args {@code [host] [port]}
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        EchoServerArgs parsed = EchoServerArgs.parse(args);
        WebsocketServerSpec spec = WebsocketServerSpec.builder()
                .maxFramePayloadLength(EchoServerArgs.MAX_MESSAGE_SIZE)
                .compress(true)
                .build();
        DisposableServer server = HttpServer.create()
                .host(parsed.host())
                .port(parsed.port())
                .route(routes -> routes.ws(
                        "/", (in, out) -> out.sendObject(in.receiveFrames().map(WebSocketFrame::retain)), spec))
                .bindNow();
        EchoServerArgs.awaitShutdown(
                "reactor-netty", parsed.host(), server.port(), () -> server.disposeNow(Duration.ofSeconds(2)));
    }
}
