package dev.wsflux.core;

import dev.wsflux.core.internal.Engines;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.Request;
import dev.wsflux.protocol.Response;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.WebSocketUri;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.time.Duration;
import java.util.UUID;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;

/**
 * A connected client and server session in one process, without a socket: for users' own {@code
 * StepVerifier} tests of their handlers and for wsflux's tests. Both ends run the real engine and protocol
 * over Netty's in-memory local transport, on one private event loop; their timers run on {@code
 * options.timer()}, so with a {@code VirtualTimeScheduler} a test can say "advance 20 s, expect a Ping;
 * advance 20 s more without a Pong, expect close 1011" and run in microseconds.
 *
 * <pre>{@code
 * VirtualTimeScheduler time = VirtualTimeScheduler.create();
 * try (WebSocketTestPair pair = WebSocketTestPair.createNow(SessionOptions.builder().timer(time).build())) {
 *     myHandler.apply(pair.server()).subscribe();
 *     StepVerifier.create(pair.client().send(Message.text("hi")).thenMany(pair.client().receive()).take(1))
 *             .expectNext(Message.text("hi"))
 *             .verifyComplete();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} aborts both connections and stops the event loop.
 */
public final class WebSocketTestPair implements AutoCloseable {
    private final WebSocketSession client;
    private final WebSocketSession server;
    private final EventLoopGroup group;

    private WebSocketTestPair(WebSocketSession client, WebSocketSession server, EventLoopGroup group) {
        this.client = client;
        this.server = server;
        this.group = group;
    }

    /**
     * Connects a pair with the same session options on both ends and no extensions. The server session's
     * lifetime belongs to the test: it stays open until either side closes it.
     */
    public static Mono<WebSocketTestPair> create(SessionOptions options) {
        return Mono.defer(() -> {
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
            return connect(options, group).onErrorResume(error -> {
                group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
                return Mono.error(error);
            });
        });
    }

    /** The blocking twin of {@link #create(SessionOptions)}: waits up to 10 s. */
    public static WebSocketTestPair createNow(SessionOptions options) {
        WebSocketTestPair pair = create(options).block(Duration.ofSeconds(10));
        if (pair == null) {
            throw new IllegalStateException("the in-process pair did not connect");
        }
        return pair;
    }

    private static Mono<WebSocketTestPair> connect(SessionOptions options, EventLoopGroup group) {
        Sinks.One<WebSocketSession> serverSession = Sinks.one();
        Engines.ServerHandshake handshake = new Engines.ServerHandshake() {
            @Override
            public Mono<Response> respond(Request request, ServerProtocol protocol) {
                return Mono.just(protocol.accept(request));
            }

            @Override
            public Publisher<Void> handle(WebSocketSession session) {
                serverSession.tryEmitValue(session);
                // The test drives the server session: it stays open until one side closes it.
                return session.closeDetails().then();
            }
        };
        return connectClient(options, group, handshake)
                .zipWith(serverSession.asMono())
                .map(sessions -> new WebSocketTestPair(sessions.getT1(), sessions.getT2(), group));
    }

    /**
     * Serves one connection on {@code group} with {@code handshake} and connects a client to it; accepting
     * stops once the client connected.
     */
    static Mono<WebSocketSession> connectClient(
            SessionOptions options, EventLoopGroup group, Engines.ServerHandshake handshake) {
        LocalAddress address = new LocalAddress("wsflux-test-" + UUID.randomUUID());
        ServerBootstrap serverBootstrap = new ServerBootstrap()
                .group(group)
                .channel(LocalServerChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(onActive(channel -> Engines.serveConnection(
                                Connection.from(channel), serverProtocol(options), options, handshake)
                        .subscribe()));
        return future(serverBootstrap.bind(address)).flatMap(bound -> {
            Bootstrap clientBootstrap = new Bootstrap()
                    .group(group)
                    .channel(LocalChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInboundHandlerAdapter());
            return future(clientBootstrap.connect(address)).flatMap(channel -> {
                bound.close();
                ClientProtocol protocol = ClientProtocol.builder(WebSocketUri.parse("ws://localhost/"))
                        .maxSize(options.maxSize())
                        .maxFrameSize(options.maxFrameSize())
                        .deferClose(true)
                        .build();
                return Engines.connectClient(Connection.from(channel), protocol, protocol.connect(), options);
            });
        });
    }

    private static ServerProtocol serverProtocol(SessionOptions options) {
        return ServerProtocol.builder()
                .maxSize(options.maxSize())
                .maxFrameSize(options.maxFrameSize())
                .deferClose(true)
                .build();
    }

    private static ChannelHandler onActive(java.util.function.Consumer<Channel> action) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.pipeline().remove(this);
                action.accept(ctx.channel());
                ctx.fireChannelActive();
            }
        };
    }

    private static Mono<Channel> future(ChannelFuture future) {
        return Mono.create(sink -> future.addListener(done -> {
            if (done.isSuccess()) {
                sink.success(future.channel());
            } else {
                sink.error(done.cause());
            }
        }));
    }

    /** The client end. */
    public WebSocketSession client() {
        return client;
    }

    /** The server end. */
    public WebSocketSession server() {
        return server;
    }

    /**
     * Aborts both connections (no closing handshake: sessions still open end with 1006) and stops the pair's
     * event loop; waits up to 5 s for each. Calling it again does nothing more.
     */
    @Override
    public void close() {
        if (!group.isShuttingDown()) {
            // Stopping the event loop alone would not close local channels: the sessions would never end,
            // and their timers (keepalive, close) would stay registered.
            abort(client);
            abort(server);
        }
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static void abort(WebSocketSession session) {
        if (session instanceof SessionEngine engine && engine.channel.isOpen()) {
            ChannelFuture closed = engine.channel.close();
            if (!engine.loop.inEventLoop()) {
                closed.awaitUninterruptibly(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }
}
