package dev.wsflux.server;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.internal.EngineSession;
import dev.wsflux.core.internal.Engines;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.WebSocketException;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * A bound {@link WebSocketServer}: its address, its open sessions, broadcasting, and graceful shutdown.
 * Thread-safe; no method blocks except {@link #shutdownNow()}.
 */
public final class RunningServer {
    /** Default shutdown timeout: 10 s, like {@code closeTimeout}. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = Loggers.getLogger(RunningServer.class);

    private final WebSocketServer.ServerConfig config;
    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private volatile DisposableServer server;

    private RunningServer(WebSocketServer.ServerConfig config) {
        this.config = config;
    }

    static Mono<RunningServer> bind(WebSocketServer.ServerConfig config) {
        return Mono.defer(() -> {
            RunningServer running = new RunningServer(config);
            TcpServer tcp = TcpServer.create().handle((in, out) -> {
                Connection[] connection = new Connection[1];
                in.withConnection(c -> connection[0] = c);
                return running.serve(connection[0]);
            });
            if (config.unixSocket != null) {
                String path = config.unixSocket.toString();
                tcp = tcp.bindAddress(() -> new DomainSocketAddress(path));
            } else {
                tcp = tcp.host(config.host).port(config.port);
            }
            if (config.tls != null) {
                tcp = tcp.secure(spec -> spec.sslContext(config.tls.sslContext()));
            }
            return tcp.bind().onErrorMap(error -> bindFailure(config, error)).map(bound -> {
                running.server = bound;
                LOG.debug("listening on {}", bound.address());
                return running;
            });
        });
    }

    /**
     * Why the server could not listen, naming the address, with the JDK's exception as the cause: Reactor
     * Netty reports a {@code ChannelBindException} around Netty's native {@code IOException} (epoll) or the
     * JDK's {@code BindException} (NIO), neither of which a user should have to know.
     */
    private static WebSocketException bindFailure(WebSocketServer.ServerConfig config, Throwable error) {
        String address = config.unixSocket != null
                ? config.unixSocket.toString()
                : (config.host.indexOf(':') >= 0 ? "[" + config.host + "]" : config.host) + ":" + config.port;
        Throwable cause = error.getCause() != null && !isJdk(error) ? error.getCause() : error;
        Exception jdkCause;
        if (cause instanceof UnresolvedAddressException) {
            jdkCause = new UnknownHostException(config.host);
        } else if (cause instanceof IOException && isJdk(cause)) {
            jdkCause = (IOException) cause;
        } else if (cause instanceof IOException) {
            // Netty's native transport: "bind(..) failed with error(-98): Address already in use". The errors
            // bind(2) reports are those the JDK reports as a BindException.
            jdkCause = new BindException(nativeReason(cause.getMessage()));
        } else {
            jdkCause = new IOException(String.valueOf(cause.getMessage()));
        }
        String reason = jdkCause instanceof UnknownHostException ? "unknown host" : jdkCause.getMessage();
        return new WebSocketException("cannot bind " + address + ": " + lowerCaseFirst(reason), jdkCause);
    }

    private static boolean isJdk(Throwable error) {
        String name = error.getClass().getName();
        return name.startsWith("java.") || name.startsWith("javax.");
    }

    /** The reason of a Netty native error message, without the system call: {@code "Address already in use"}. */
    private static String nativeReason(String message) {
        if (message == null) {
            return "bind failed";
        }
        int end = message.indexOf("): ");
        return message.indexOf("(..) failed") >= 0 && end >= 0 ? message.substring(end + 3) : message;
    }

    private static String lowerCaseFirst(String text) {
        return text == null || text.isEmpty()
                ? String.valueOf(text)
                : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private Mono<Void> serve(Connection connection) {
        connections.add(connection);
        boolean overLimit = connectionCount.incrementAndGet() > config.maxConnections;
        ConnectionHandshake handshake = new ConnectionHandshake(this, config, connection, overLimit);
        // The handshake listens on the channel's close future (rather than a subscriber to
        // connection.onDispose(), a Reactor subscription chain, or a lambda: no extra object per connection).
        connection.channel().closeFuture().addListener(handshake);
        return Engines.serveConnection(connection, config.newProtocol(), config.options, handshake);
    }

    /** The channel of {@code connection} closed; {@code session} is its session, or {@code null}. */
    void closed(Connection connection, WebSocketSession session) {
        connections.remove(connection);
        connectionCount.decrementAndGet();
        if (session != null) {
            sessions.remove(session);
        }
    }

    /** Adds an open session to {@link #sessions()}; the channel's close listener removes it. */
    void track(WebSocketSession session, boolean channelOpen) {
        sessions.add(session);
        if (!channelOpen) {
            // The close listener already ran (the channel closed just before the handler started).
            sessions.remove(session);
        }
    }

    boolean isShuttingDown() {
        return shuttingDown.get();
    }

    /** The bound address: an {@code InetSocketAddress}, or a {@code DomainSocketAddress}-like address. */
    public SocketAddress address() {
        return server.address();
    }

    /** The bound TCP port (the one picked when {@code port(0)} was set). */
    public int port() {
        if (server.address() instanceof InetSocketAddress inet) {
            return inet.getPort();
        }
        throw new IllegalStateException("server listens on a Unix domain socket: " + server.address());
    }

    /** The host the server bound. */
    public String host() {
        if (server.address() instanceof InetSocketAddress inet) {
            return inet.getHostString();
        }
        throw new IllegalStateException("server listens on a Unix domain socket: " + server.address());
    }

    /** The open sessions: a live, unmodifiable view. */
    public Set<WebSocketSession> sessions() {
        return Collections.unmodifiableSet(sessions);
    }

    /** Broadcasts to every open session, skipping slow consumers; see {@link #broadcast(Message, Collection, SlowConsumerPolicy)}. */
    public int broadcast(Message message) {
        return broadcast(message, sessions, SlowConsumerPolicy.SKIP);
    }

    /** Broadcasts to {@code targets}, skipping slow consumers. */
    public int broadcast(Message message, Collection<? extends WebSocketSession> targets) {
        return broadcast(message, targets, SlowConsumerPolicy.SKIP);
    }

    /**
     * Queues {@code message} for each open session of {@code targets} without waiting for the writes. A
     * session whose outbound buffer is already at its {@code writeLimit.high} is a slow consumer: {@code
     * policy} skips it or closes it (1008 or 1013). Nothing is ever buffered beyond {@code writeLimit}.
     * Sessions must come from this library.
     *
     * @return the number of sessions the message was queued for
     */
    public int broadcast(Message message, Collection<? extends WebSocketSession> targets, SlowConsumerPolicy policy) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(policy, "policy");
        int queued = 0;
        for (WebSocketSession target : targets) {
            if (!(target instanceof EngineSession session)) {
                throw new IllegalArgumentException("not a wsflux session: " + target);
            }
            if (!session.isOpen()) {
                continue;
            }
            if (session.offer(message)) {
                queued++;
            } else if (policy != SlowConsumerPolicy.SKIP) {
                int code = policy == SlowConsumerPolicy.CLOSE_POLICY_VIOLATION
                        ? CloseCodes.POLICY_VIOLATION
                        : CloseCodes.TRY_AGAIN_LATER;
                LOG.debug("[{}] slow consumer: closing with {}", session.id(), code);
                session.close(code, "slow consumer").subscribe(null, error -> {});
            }
        }
        return queued;
    }

    /** Shuts down with 1001 (going away) and {@link #DEFAULT_SHUTDOWN_TIMEOUT}. */
    public Mono<Void> shutdown() {
        return shutdown(CloseCodes.GOING_AWAY, "", DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * Stops accepting connections, answers 503 to connections still in the opening handshake, closes
     * every open session with {@code code} and {@code reason}, waits up to {@code timeout} for the
     * connections to close, then aborts the rest. Completes when every connection is closed. Calling it
     * again only waits.
     */
    public Mono<Void> shutdown(int code, String reason, Duration timeout) {
        try {
            CloseStatus.forSending(code, reason);
        } catch (IllegalArgumentException e) {
            return Mono.error(e);
        }
        return Mono.defer(() -> {
            if (shuttingDown.compareAndSet(false, true)) {
                LOG.debug("shutting down {} ({} sessions)", server.address(), sessions.size());
                server.dispose();
                for (WebSocketSession session : new ArrayList<>(sessions)) {
                    session.close(code, reason).subscribe(null, error -> {});
                }
            }
            return Mono.when(server.onDispose(), allClosed())
                    .timeout(timeout, config.options.timer())
                    .onErrorResume(java.util.concurrent.TimeoutException.class, e -> {
                        List<Connection> remaining = new ArrayList<>(connections);
                        LOG.debug("shutdown timed out: aborting {} connections", remaining.size());
                        remaining.forEach(Connection::dispose);
                        return allClosed();
                    });
        });
    }

    /** Shuts down like {@link #shutdown()} and waits for it (blocks). */
    public void shutdownNow() {
        shutdown().block(DEFAULT_SHUTDOWN_TIMEOUT.plusSeconds(5));
    }

    /** Whether {@link #shutdown} was called. */
    public boolean isDisposed() {
        return shuttingDown.get();
    }

    private Mono<Void> allClosed() {
        return Flux.fromIterable(new ArrayList<>(connections))
                .flatMap(Connection::onDispose)
                .then();
    }

    @Override
    public String toString() {
        return "RunningServer[" + server.address() + ", " + sessions.size() + " sessions]";
    }
}
