package dev.wsflux.core.internal;

import dev.wsflux.core.AbstractWebSocketSession;
import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.WireFormat;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@link WebSocketSession} handed to users: checks arguments, hops onto the event loop and turns the
 * engine's state into {@code Mono}s and {@code Flux}es. It holds what a user may read from any thread
 * (the handshake, the negotiated subprotocol and extensions, whether the session is open); everything else
 * is the {@link SessionEngine}'s. Thread-safe; no method blocks.
 */
final class Session extends AbstractWebSocketSession implements EngineSession {
    private static final AtomicLongFieldUpdater<Session> OFFERED_BYTES =
            AtomicLongFieldUpdater.newUpdater(Session.class, "offeredBytes");

    private final SessionEngine engine;
    private volatile String id;
    private volatile Request request;
    private volatile Response response;
    private volatile String subprotocol;
    private volatile List<String> extensions = List.of();
    private volatile boolean open;
    private volatile long offeredBytes;

    Session(SessionEngine engine) {
        this.engine = engine;
    }

    /** The handshake succeeded (on the loop). */
    void opened(Request handshakeRequest, Response handshakeResponse, String negotiated, List<Extension> active) {
        request = handshakeRequest;
        response = handshakeResponse;
        subprotocol = negotiated;
        if (!active.isEmpty()) {
            List<String> names = new ArrayList<>(active.size());
            for (Extension extension : active) {
                names.add(extension.name());
            }
            extensions = List.copyOf(names);
        }
    }

    /** Whether data may be sent (on the loop, after each protocol step). */
    void setOpen(boolean value) {
        if (open != value) {
            open = value;
        }
    }

    static Message textMessage(byte[] utf8) {
        return wrapText(utf8);
    }

    static Message binaryMessage(byte[] bytes) {
        return wrapBinary(bytes);
    }

    static byte[] payloadArrayOf(Message message) {
        return payloadArray(message);
    }

    @Override
    public Flux<Message> receive() {
        return engine.inbound();
    }

    @Override
    public Mono<Void> send(Publisher<? extends Message> messages) {
        if (messages == null) {
            return Mono.error(new NullPointerException("messages"));
        }
        return new SendOperation(engine, messages, engine.options.sendPrefetch());
    }

    @Override
    public boolean offer(Message message) {
        long size = message.length();
        if (!open || engine.channel.bytesBeforeUnwritable() - offeredBytes <= 0) {
            return false;
        }
        OFFERED_BYTES.addAndGet(this, size);
        engine.execute(() -> {
            OFFERED_BYTES.addAndGet(this, -size);
            engine.send(message);
        });
        return true;
    }

    @Override
    public Mono<Duration> ping(ByteBuffer payload) {
        if (payload == null || payload.remaining() > WireFormat.MAX_CONTROL_PAYLOAD) {
            return Mono.error(new IllegalArgumentException("ping payload must be at most 125 bytes, got "
                    + (payload == null ? "null" : payload.remaining() + " bytes")));
        }
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        return engine.keepalive().ping(ByteBuffer.wrap(copy));
    }

    @Override
    public Mono<Duration> ping() {
        byte[] data = new byte[4];
        ThreadLocalRandom.current().nextBytes(data);
        return ping(ByteBuffer.wrap(data));
    }

    @Override
    public Mono<Void> close(int code, String reason) {
        CloseStatus status;
        try {
            status = CloseStatus.forSending(code, reason);
        } catch (IllegalArgumentException e) {
            return Mono.error(e);
        }
        return Mono.<Void>fromRunnable(() -> engine.execute(() -> engine.close(status)))
                .then(engine.closed.asMono().then());
    }

    @Override
    public Mono<CloseStatus> closeStatus() {
        return engine.closed
                .asMono()
                .map(details -> details.received() != null
                        ? details.received()
                        : new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, ""));
    }

    @Override
    public Mono<ConnectionClosedException> closeDetails() {
        return engine.closed.asMono();
    }

    /** The protocol's UUID as text, made on the first call (racing callers get equal strings). */
    @Override
    public String id() {
        String value = id;
        if (value == null) {
            value = engine.protocol.id().toString();
            id = value;
        }
        return value;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public List<String> extensions() {
        return extensions;
    }

    @Override
    public Request handshakeRequest() {
        return request;
    }

    @Override
    public Response handshakeResponse() {
        return response;
    }

    @Override
    public SocketAddress localAddress() {
        return engine.channel.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return engine.channel.remoteAddress();
    }

    @Override
    public Duration latency() {
        return engine.keepalive().latency();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The engine behind this session (for tests in this package and the test pair). */
    SessionEngine engine() {
        return engine;
    }

    @Override
    public String toString() {
        return "WebSocketSession[" + id() + ", " + engine.channel.remoteAddress() + "]";
    }
}
