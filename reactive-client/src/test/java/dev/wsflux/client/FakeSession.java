package dev.wsflux.client;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** A session without a connection, for tests of what the client does around sessions; records closes. */
final class FakeSession implements WebSocketSession {
    private final String id;
    private final Sinks.One<CloseStatus> closed = Sinks.one();

    FakeSession(String id) {
        this.id = id;
    }

    /** Makes the session closed, as if the server dropped the connection. */
    void drop() {
        closed.tryEmitValue(new CloseStatus(1006, ""));
    }

    @Override
    public Flux<Message> receive() {
        return Flux.never();
    }

    @Override
    public Mono<Void> send(Publisher<? extends Message> messages) {
        return Flux.from(messages).then();
    }

    @Override
    public Mono<Duration> ping(ByteBuffer payload) {
        return Mono.just(Duration.ZERO);
    }

    @Override
    public Mono<Duration> ping() {
        return Mono.just(Duration.ZERO);
    }

    @Override
    public Mono<Void> close(int code, String reason) {
        closed.tryEmitValue(new CloseStatus(code, reason));
        return Mono.empty();
    }

    @Override
    public Mono<CloseStatus> closeStatus() {
        return closed.asMono();
    }

    @Override
    public Mono<ConnectionClosedException> closeDetails() {
        return Mono.never();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String subprotocol() {
        return null;
    }

    @Override
    public List<String> extensions() {
        return List.of();
    }

    @Override
    public Request handshakeRequest() {
        return null;
    }

    @Override
    public Response handshakeResponse() {
        return null;
    }

    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress(0);
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress(0);
    }

    @Override
    public Duration latency() {
        return Duration.ZERO;
    }

    @Override
    public boolean isOpen() {
        return closed.scan(reactor.core.Scannable.Attr.TERMINATED) != Boolean.TRUE;
    }

    @Override
    public String toString() {
        return "FakeSession[" + id + "]";
    }
}
