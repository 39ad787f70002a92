package dev.wsflux.interop;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.Response;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.ServerRequest;
import dev.wsflux.server.WebSocketServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * Our {@link WebSocketServer} as the peers' counterpart, on 127.0.0.1 and a free port. {@code /echo} echoes every
 * message with its type, answers {@value Scenario#PING_REQUEST} by pinging the client first and closes with N on
 * {@code close N};
 * {@code /close/{code}} closes with that code on the first message. Every session is recorded under its
 * {@code conn} query parameter. {@code GET} requests for the paths of {@code pages} get that HTML (for the browser).
 * Thread-safe.
 */
final class OurServer implements AutoCloseable {
    private final RunningServer server;
    private final Map<String, CompletableFuture<RecordedSession>> sessions = new ConcurrentHashMap<>();

    /** What the server saw of one connection. */
    static final class RecordedSession {
        final String subprotocol;
        final List<String> extensions;
        final List<Message> received = new CopyOnWriteArrayList<>();
        final CompletableFuture<Message> firstMessage = new CompletableFuture<>();
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

        void add(Message message) {
            received.add(message);
            firstMessage.complete(message);
        }

        RecordedSession(WebSocketSession session) {
            this.subprotocol = session.subprotocol();
            this.extensions = List.copyOf(session.extensions());
        }

        /** The Close frame the client sent (1005 without code, 1006 without Close), waiting at most 20 s. */
        CloseStatus closeStatus() {
            try {
                return closed.get(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("the session did not close within 20 s", e);
            }
        }
    }

    private OurServer(WebSocketServer configured) {
        this.server = configured.bindNow(Duration.ofSeconds(20));
    }

    /** Starts the server with its default options (compression on). */
    static OurServer start() {
        return start(Map.of());
    }

    /** Starts the server, serving {@code pages} (path to HTML) to plain {@code GET} requests. */
    static OurServer start(Map<String, String> pages) {
        OurServer[] self = new OurServer[1];
        WebSocketServer configured = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .subprotocols(Scenario.SUBPROTOCOL)
                .processRequest(request -> page(request, pages))
                .route("/echo", session -> self[0].echo(session))
                .route(
                        "/close/{code}",
                        (session, variables) ->
                                self[0].closeOnFirstMessage(session, Integer.parseInt(variables.get("code"))));
        self[0] = new OurServer(configured);
        return self[0];
    }

    private static Mono<Response> page(ServerRequest request, Map<String, String> pages) {
        String html = pages.get(request.path());
        if (html == null || request.headers().contains("Upgrade")) {
            return Mono.empty();
        }
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        Headers headers = Headers.of(
                "Content-Type", "text/html; charset=utf-8",
                "Content-Length", Integer.toString(body.length),
                "Cache-Control", "no-store",
                "Connection", "close");
        return Mono.just(new Response(200, "OK", headers, body));
    }

    private RecordedSession record(WebSocketSession session) {
        RecordedSession recorded = new RecordedSession(session);
        session.closeStatus().subscribe(recorded.closed::complete, recorded.closed::completeExceptionally);
        future(connName(session)).complete(recorded);
        return recorded;
    }

    private static String connName(WebSocketSession session) {
        String path = session.handshakeRequest().path();
        int at = path.indexOf("conn=");
        return at < 0 ? path : path.substring(at + "conn=".length());
    }

    private Mono<Void> echo(WebSocketSession session) {
        RecordedSession recorded = record(session);
        return session.send(session.receive()
                .doOnNext(recorded::add)
                .concatMap(message -> answer(session, message))
                // A Close with a code other than 1000/1001/1005 ends receive() with an error: the echo is done.
                .onErrorResume(ConnectionClosedException.class, e -> Mono.empty()));
    }

    private static Mono<Message> answer(WebSocketSession session, Message message) {
        if (message.isText() && message.text().equals(Scenario.PING_REQUEST)) {
            return session.ping(ByteBuffer.wrap("server-ping".getBytes(StandardCharsets.US_ASCII)))
                    .thenReturn(Message.text(Scenario.PING_ANSWER));
        }
        if (message.isText() && message.text().startsWith("close ")) {
            int code = Integer.parseInt(message.text().substring("close ".length()));
            return session.close(code, Scenario.SERVER_REASON).then(Mono.empty());
        }
        return Mono.just(message);
    }

    private Mono<Void> closeOnFirstMessage(WebSocketSession session, int code) {
        RecordedSession recorded = record(session);
        return session.receive()
                .doOnNext(recorded::add)
                .next()
                .flatMap(message -> session.close(code, Scenario.SERVER_REASON))
                .onErrorResume(ConnectionClosedException.class, e -> Mono.empty());
    }

    /** The port. */
    int port() {
        return server.port();
    }

    private CompletableFuture<RecordedSession> future(String conn) {
        return sessions.computeIfAbsent(conn, name -> new CompletableFuture<>());
    }

    /** The session recorded as {@code conn}, waiting at most 20 s for it to open. */
    RecordedSession session(String conn) {
        try {
            return future(conn).get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(
                    "no session \"" + conn + "\" opened within 20 s; sessions: " + sessions.keySet(), e);
        }
    }

    /**
     * The first message the session {@code conn} receives, waiting at most {@code timeout} (with {@code peer}'s
     * output in the failure message).
     */
    Message awaitFirstMessage(String conn, Duration timeout, PeerProcess peer) {
        try {
            return future(conn)
                    .thenCompose(recorded -> recorded.firstMessage)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(
                    "no message on \"" + conn + "\" within " + timeout + "; sessions: " + sessions.keySet() + "; "
                            + peer.describe(),
                    e);
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
