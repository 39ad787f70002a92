package dev.wsflux.core.internal;

import dev.wsflux.protocol.ProtocolState;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The server side of the opening handshake on one connection
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.2">RFC 6455 §4.2</a>), then the handler's
 * lifecycle: the handler completes → Close 1000; it errors → Close 1011, the error logged once and its
 * text never sent ("may be security-sensitive"). Confined to the event loop.
 */
final class ServerHandshakeRunner implements SessionEngine.HandshakeListener, CoreSubscriber<Object> {
    private static final Logger LOG = Loggers.getLogger(ServerHandshakeRunner.class);

    private final SessionEngine engine;
    private final ServerProtocol protocol;
    private final Engines.ServerHandshake handshake;
    private boolean requestSeen;
    private Disposable responding;

    ServerHandshakeRunner(SessionEngine engine, ServerProtocol protocol, Engines.ServerHandshake handshake) {
        this.engine = engine;
        this.protocol = protocol;
        this.handshake = handshake;
    }

    /** Installs the engine and arms the open timer, against slowloris peers. */
    void start() {
        engine.start(this);
        engine.armOpenTimer();
    }

    @Override
    public void onHandshakeEvent(Event event) {
        if (!(event instanceof Request request) || requestSeen) {
            return;
        }
        requestSeen = true;
        Response now;
        try {
            now = handshake.respondNow(request, protocol);
        } catch (Exception e) {
            handshakeFailed(request, e);
            return;
        }
        if (now != null) {
            respond(request, now);
            return;
        }
        Mono<Response> response;
        try {
            response = handshake.respond(request, protocol);
        } catch (Exception e) {
            response = Mono.error(e);
        }
        responding = response.switchIfEmpty(Mono.error(() -> new IllegalStateException("no handshake response")))
                .subscribe(
                        answer -> engine.execute(() -> respond(request, answer)),
                        error -> engine.execute(() -> handshakeFailed(request, error)));
    }

    private void handshakeFailed(Request request, Throwable error) {
        LOG.warn("[{}] opening handshake failed; answering 500", engine.id(), error);
        respond(request, protocol.reject(500, "Internal Server Error"));
    }

    @Override
    public void onClosedBeforeOpen(ConnectionClosedException details) {
        if (responding != null) {
            responding.dispose();
        }
    }

    private void respond(Request request, Response response) {
        responding = null;
        if (engine.isTerminated() || protocol.state() != ProtocolState.CONNECTING) {
            return;
        }
        protocol.sendResponse(response);
        engine.flushOutput();
        if (protocol.state() != ProtocolState.OPEN) {
            return;
        }
        engine.open(request, response);
        runHandler();
        // Frames that arrived with the request were parsed once the protocol opened; what the receive limits
        // left is parsed as the queue makes room, and reading resumes (it pauses while bytes wait undecoded).
        engine.processEvents();
        engine.drained();
    }

    private void runHandler() {
        Publisher<Void> work;
        try {
            work = handshake.handle(engine.session);
        } catch (Exception e) {
            work = Mono.error(e);
        }
        // This runner subscribes itself: no subscriber and lambdas kept per connection for the handler.
        work.subscribe(this);
    }

    // ------------------------------------------------------------------ the handler's Publisher<Void>

    @Override
    public void onSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Object ignored) {
        // A Publisher<Void> emits nothing; a handler that emits anyway is ignored, as Mono.then() would.
    }

    @Override
    public void onError(Throwable error) {
        if (!(error instanceof ConnectionClosedException)) {
            LOG.warn("[{}] handler failed; closing with 1011", engine.id(), error);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] handler ended: {}", engine.id(), error.toString());
        }
        engine.execute(() -> engine.close(new CloseStatus(CloseCodes.INTERNAL_ERROR, "")));
    }

    @Override
    public void onComplete() {
        engine.execute(() -> engine.close(new CloseStatus(CloseCodes.NORMAL_CLOSURE, "")));
    }
}
