package dev.wsflux.core.internal;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.http11.WebSocketUri;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * One WebSocket connection over loopback TCP ({@code 127.0.0.1}, a free port) inside one process, both ends
 * run by the engine on a private event loop: the transport of {@code WebSocketTestPair} and of the engine's
 * own tests. Real TCP, so that backpressure is that of production (the kernel's socket buffers fill, the
 * channel becomes unwritable). Uses only {@code TcpServer}, {@code TcpClient} and {@code LoopResources},
 * which Reactor Netty 1.2 (Netty 4.1) and 1.3 (Netty 4.2) both have. Thread-safe.
 */
public final class Loopback implements Disposable {
    private final LoopResources loops = LoopResources.create("wsflux-loopback", 1, true);
    private final AtomicBoolean disposed = new AtomicBoolean();
    private volatile DisposableServer server;
    private volatile Connection clientConnection;
    private volatile Connection serverConnection;

    /**
     * Serves one connection with {@code handshake} and connects a client to it; the listening socket closes
     * once the client connected. Emits the client's session when it is open, or the handshake's error.
     *
     * @param options the options of both ends
     * @param handshake the server's decisions
     * @return the client session
     */
    public Mono<WebSocketSession> connect(SessionOptions options, Engines.ServerHandshake handshake) {
        return Mono.defer(() -> {
            AtomicBoolean served = new AtomicBoolean();
            DisposableServer listening = TcpServer.create()
                    .host("127.0.0.1")
                    .port(0)
                    .runOn(loops)
                    .handle((in, out) -> {
                        Connection[] connection = new Connection[1];
                        in.withConnection(c -> connection[0] = c);
                        if (!served.compareAndSet(false, true)) {
                            return Mono.empty(); // only the pair's own client is served
                        }
                        serverConnection = connection[0];
                        return Engines.serveConnection(connection[0], serverProtocol(options), options, handshake);
                    })
                    .bindNow();
            server = listening;
            return TcpClient.newConnection()
                    .remoteAddress(() -> (InetSocketAddress) listening.address())
                    .runOn(loops)
                    .connect()
                    .flatMap(connection -> {
                        clientConnection = connection;
                        listening.dispose(); // stops accepting; the accepted connection stays
                        ClientProtocol protocol = ClientProtocol.builder(WebSocketUri.parse("ws://localhost/"))
                                .maxSize(options.maxSize())
                                .maxFrameSize(options.maxFrameSize())
                                .deferClose(true)
                                .frameObserver(Engines.frameObserver(null))
                                .build();
                        return Engines.connectClient(connection, protocol, protocol.connect(), options);
                    });
        });
    }

    private static ServerProtocol serverProtocol(SessionOptions options) {
        return ServerProtocol.builder()
                .maxSize(options.maxSize())
                .maxFrameSize(options.maxFrameSize())
                .deferClose(true)
                .frameObserver(Engines.frameObserver(null))
                .build();
    }

    /**
     * Aborts the connection (a TCP reset: both sessions end at once with 1006, whatever they were doing)
     * and stops the event loop, which closes whatever is left on it; waits up to 10 s. Idempotent.
     */
    @Override
    public void dispose() {
        if (!disposed.compareAndSet(false, true)) {
            return;
        }
        DisposableServer listening = server;
        if (listening != null) {
            listening.dispose();
        }
        abort(clientConnection);
        abort(serverConnection);
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
    }

    /**
     * Resets {@code connection} and waits until its channel's inactivity was handled (the session ended): a
     * task queued on the loop after the close runs after the close's own tasks. Stopping the loop alone is
     * not enough: its channels close as it stops, but their sessions may not have ended when it has.
     */
    private static void abort(Connection connection) {
        if (connection == null) {
            return;
        }
        Channel channel = connection.channel();
        if (!channel.isRegistered()) {
            return; // deregistered after its inactivity was handled
        }
        EventLoop loop = channel.eventLoop();
        if (channel.isOpen()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                // closed meanwhile: the close below does nothing more
            }
            channel.close();
        }
        if (!loop.inEventLoop() && !loop.isShuttingDown()) {
            loop.submit(() -> {}).awaitUninterruptibly(5_000);
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed.get();
    }
}
