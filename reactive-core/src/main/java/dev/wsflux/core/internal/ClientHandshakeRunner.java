package dev.wsflux.core.internal;

import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.ProtocolState;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.http11.InvalidHandshakeException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import reactor.core.publisher.MonoSink;

/**
 * The client side of the opening handshake on one connection
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.1">RFC 6455 §4.1</a>): writes the request,
 * and emits the session on a 101 or the protocol's handshake exception otherwise. Confined to the event
 * loop.
 */
final class ClientHandshakeRunner implements SessionEngine.HandshakeListener {
    private final SessionEngine engine;
    private final ClientProtocol protocol;
    private final Request request;
    private final MonoSink<WebSocketSession> sink;
    private boolean finished;

    ClientHandshakeRunner(
            SessionEngine engine, ClientProtocol protocol, Request request, MonoSink<WebSocketSession> sink) {
        this.engine = engine;
        this.protocol = protocol;
        this.request = request;
        this.sink = sink;
    }

    /** Installs the engine and sends the request. */
    void start() {
        engine.start(this);
        if (engine.isTerminated()) {
            return;
        }
        protocol.sendRequest(request);
        engine.flushOutput();
    }

    @Override
    public void onHandshakeEvent(Event event) {
        if (!(event instanceof Response response) || finished) {
            return;
        }
        finished = true;
        if (protocol.state() == ProtocolState.OPEN) {
            engine.open(request, response);
            sink.success(engine.session);
        } else {
            Throwable failure = protocol.handshakeException();
            sink.error(failure != null ? failure : new InvalidStatusException(response));
            engine.flushOutput();
            engine.abort();
        }
    }

    @Override
    public void onClosedBeforeOpen(ConnectionClosedException details) {
        if (!finished) {
            finished = true;
            Throwable failure = protocol.handshakeException();
            sink.error(
                    failure != null
                            ? failure
                            : new InvalidHandshakeException("connection closed during the opening handshake", details));
        }
    }

    /** The caller cancelled before the response: closes the connection. */
    void cancel() {
        engine.execute(() -> {
            if (!finished) {
                finished = true;
                engine.abort();
            }
        });
    }
}
