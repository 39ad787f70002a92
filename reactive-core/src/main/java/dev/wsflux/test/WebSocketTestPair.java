package dev.wsflux.test;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.internal.Engines;
import dev.wsflux.core.internal.Loopback;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.time.Duration;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A connected client and server session in one process: for users' own {@code StepVerifier} tests of their
 * handlers and for wsflux's tests. Both ends run the real engine and protocol over a real TCP connection on
 * the loopback interface ({@code 127.0.0.1}, a free port), on one private event loop, so that backpressure
 * in a test is the backpressure of production: a session that stops reading stops its peer's
 * {@code send()} once the kernel's socket buffers and {@code writeLimit} are full, exactly as between two
 * processes. Their timers run on {@code options.timer()}, so with a {@code VirtualTimeScheduler} a test can
 * say "advance 20 s, expect a Ping; advance 20 s more without a Pong, expect close 1011" and run in
 * microseconds.
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
 * <p>Runs on the Reactor Netty lines 1.2 (Netty 4.1, Spring Boot 3.5) and 1.3 (Netty 4.2): it uses only
 * {@code TcpServer}, {@code TcpClient} and {@code LoopResources}, which both lines have.
 *
 * <p>Thread-safe. {@link #close()} aborts both connections and stops the event loop.
 */
public final class WebSocketTestPair implements AutoCloseable {
    private final WebSocketSession client;
    private final WebSocketSession server;
    private final Loopback loopback;

    private WebSocketTestPair(WebSocketSession client, WebSocketSession server, Loopback loopback) {
        this.client = client;
        this.server = server;
        this.loopback = loopback;
    }

    /**
     * Connects a pair with the same session options on both ends and no extensions. The server session's
     * lifetime belongs to the test: it stays open until either side closes it.
     *
     * @param options the options of both sessions
     * @return the pair, once both sessions are open
     */
    public static Mono<WebSocketTestPair> create(SessionOptions options) {
        return Mono.defer(() -> {
            Loopback loopback = new Loopback();
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
            return loopback.connect(options, handshake)
                    .zipWith(serverSession.asMono())
                    .map(sessions -> new WebSocketTestPair(sessions.getT1(), sessions.getT2(), loopback))
                    .doOnError(error -> loopback.dispose())
                    .doOnCancel(loopback::dispose);
        });
    }

    /**
     * The blocking twin of {@link #create(SessionOptions)}: waits up to 10 s.
     *
     * @param options the options of both sessions
     * @return the pair
     */
    public static WebSocketTestPair createNow(SessionOptions options) {
        WebSocketTestPair pair = create(options).block(Duration.ofSeconds(10));
        if (pair == null) {
            throw new IllegalStateException("the in-process pair did not connect");
        }
        return pair;
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
     * event loop; waits up to 5 s. Calling it again does nothing more.
     */
    @Override
    public void close() {
        loopback.dispose();
    }
}
