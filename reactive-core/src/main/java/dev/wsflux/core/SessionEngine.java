package dev.wsflux.core;

import dev.wsflux.core.internal.EngineSession;
import dev.wsflux.protocol.CloseCodes;
import dev.wsflux.protocol.CloseStatus;
import dev.wsflux.protocol.ConnectionClosedException;
import dev.wsflux.protocol.Event;
import dev.wsflux.protocol.Extension;
import dev.wsflux.protocol.Frame;
import dev.wsflux.protocol.InvalidStateException;
import dev.wsflux.protocol.Opcode;
import dev.wsflux.protocol.Protocol;
import dev.wsflux.protocol.ProtocolState;
import dev.wsflux.protocol.Request;
import dev.wsflux.protocol.Response;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Runs one Sans-I/O {@link Protocol} over one Reactor Netty {@link Connection}, for either role, and is
 * the {@link WebSocketSession} handed to users. Every protocol call happens on the channel's event loop
 * (the protocol is not thread-safe); user calls from other threads hop onto it.
 *
 * <p>The pieces: {@link EngineHandler} feeds bytes in; {@link MessageAssembler} joins fragments;
 * {@link InboundQueue} is {@code receive()} with its flow control; {@link SendOperation} is {@code send()}
 * with its own; {@link OutboundWriter} writes and batches flushes; {@link Keepalive} owns pings. This
 * class wires them to the protocol and owns the lifecycle and the open, close and grace timers.
 *
 * <p>Closing (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-7">RFC 6455 §7</a>): protocols are
 * built with {@code deferClose(true)}. When a received Close or a violation leaves the protocol with a
 * pending close, the engine sends the Close only once the application took the messages received before
 * it, or after {@link #CLOSE_GRACE} (so that a stalled consumer cannot keep a failed connection open).
 * Once the protocol expects the TCP connection to close, {@code closeTimeout} bounds the wait, then the
 * connection is aborted. The session ends when the channel becomes inactive.
 */
final class SessionEngine implements EngineSession, InboundQueue.Owner, Keepalive.Pinger {

    /** Receives the handshake events and the end of the connection while it is not open yet. */
    interface HandshakeListener {
        /** A {@code Request} (server) or {@code Response} (client) was received (on the loop). */
        void onHandshakeEvent(Event event);

        /** The connection ended before it opened (on the loop). */
        void onClosedBeforeOpen(ConnectionClosedException details);
    }

    /**
     * How long a pending close waits for the application to take the messages received before it. One
     * second lets a responsive application reply to them; a stalled one cannot hold the connection.
     */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private static final Logger LOG = Loggers.getLogger(SessionEngine.class);
    private static final AtomicLongFieldUpdater<SessionEngine> OFFERED_BYTES =
            AtomicLongFieldUpdater.newUpdater(SessionEngine.class, "offeredBytes");
    // The water mark last made for writeLimit, shared by connections with the same limits (see waterMark).
    private static volatile WriteBufferWaterMark lastWaterMark = WriteBufferWaterMark.DEFAULT;

    final Connection connection;
    final Channel channel;
    final EventLoop loop;
    final Protocol protocol;
    final SessionOptions options;
    private volatile String id;
    private final OutboundWriter writer;
    private final InboundQueue inbound;
    // Made on the first data frame: an idle connection keeps none.
    private MessageAssembler assembler;
    private final Keepalive keepalive;
    // Made on the first send(): most connections have one sender or none.
    private List<SendOperation.Sender> senders;
    // Emitted once, on the loop: no serialization needed (subscribers may come from any thread).
    private final Sinks.One<ConnectionClosedException> closed = Sinks.unsafe().one();
    private volatile long offeredBytes;

    private HandshakeListener handshake;
    private volatile Request request;
    private volatile Response response;
    private volatile String subprotocol;
    private volatile List<String> extensions = List.of();
    private volatile boolean openForSending;
    private boolean opened;
    private boolean terminated;
    private boolean closeCommitted;
    private Throwable transportError;
    private Disposable openTimer;
    private Disposable closeTimer;
    private Disposable graceTimer;
    private long bytesRead;

    SessionEngine(Connection connection, Protocol protocol, SessionOptions options) {
        this.connection = connection;
        this.channel = connection.channel();
        this.loop = channel.eventLoop();
        this.protocol = protocol;
        this.options = options;
        this.writer = new OutboundWriter(channel);
        this.inbound = new InboundQueue(loop, this, options.maxQueueHigh(), options.maxQueueLow());
        this.keepalive = new Keepalive(this, options);
    }

    // ------------------------------------------------------------------ lifecycle (on the loop)

    /** Installs the engine in the pipeline and starts reading; arms the open timer for servers. */
    void start(HandshakeListener listener) {
        handshake = listener;
        channel.config().setWriteBufferWaterMark(waterMark(options.writeLimitLow(), options.writeLimitHigh()));
        EngineHandler.install(channel, new EngineHandler(this));
        if (!channel.isActive()) {
            onInactive();
            return;
        }
        // Reactor Netty creates channels with auto-read off; from here on only the InboundQueue toggles it.
        channel.config().setAutoRead(true);
    }

    /**
     * The channel water mark for {@code writeLimit}: the last one made when the limits are the same (it is
     * immutable), so that connections with the same options share one instead of keeping 24 B each.
     */
    private static WriteBufferWaterMark waterMark(int low, int high) {
        WriteBufferWaterMark last = lastWaterMark;
        if (last.low() != low || last.high() != high) {
            last = new WriteBufferWaterMark(low, high);
            lastWaterMark = last;
        }
        return last;
    }

    /** Arms {@code openTimeout}: the handshake must finish in time or the connection is aborted. */
    void armOpenTimer() {
        Duration timeout = options.openTimeout();
        if (!timeout.isZero()) {
            openTimer = schedule(timeout, () -> {
                if (!opened && !terminated) {
                    LOG.debug("[{}] opening handshake timed out after {}", id(), timeout);
                    abort();
                }
            });
        }
    }

    /** The handshake succeeded: starts the session (on the loop). */
    void open(Request handshakeRequest, Response handshakeResponse) {
        request = handshakeRequest;
        response = handshakeResponse;
        subprotocol = protocol.subprotocol();
        List<String> names = new ArrayList<>();
        for (Extension extension : protocol.extensions()) {
            names.add(extension.name());
        }
        extensions = List.copyOf(names);
        opened = true;
        handshake = null;
        if (openTimer != null) {
            openTimer.dispose();
            openTimer = null; // the cancelled task and its lambdas are not kept for the connection's life
        }
        openForSending = protocol.state() == ProtocolState.OPEN;
        keepalive.start();
    }

    /** Bytes from the socket (on the loop). */
    void onData(ByteBuffer data) {
        if (terminated) {
            return;
        }
        bytesRead += data.remaining();
        protocol.receiveData(data);
        processEvents();
    }

    /** Processes the events the protocol has parsed, then writes its output. */
    void processEvents() {
        List<Event> events = protocol.eventsReceived();
        for (int i = 0, n = events.size(); i < n; i++) {
            Event event = events.get(i);
            if (event instanceof Frame frame) {
                onFrame(frame);
            } else if (handshake != null) {
                handshake.onHandshakeEvent(event);
            }
        }
        flushOutput();
        if (!closeCommitted && protocol.closePending()) {
            closeCommitted = true;
            if (inbound.markClose()) {
                commitClose();
            } else {
                graceTimer = schedule(CLOSE_GRACE, this::commitClose);
            }
        }
    }

    private void onFrame(Frame frame) {
        if (FrameTrace.enabled()) {
            FrameTrace.received(id(), frame);
        }
        switch (frame.opcode()) {
            case TEXT, BINARY, CONTINUATION -> {
                MessageAssembler assembling = assembler;
                if (assembling == null) {
                    assembler = assembling = new MessageAssembler();
                }
                Message message = assembling.onFrame(frame);
                if (message != null) {
                    inbound.offer(message);
                }
            }
            case PONG -> keepalive.onPong(frame.payload());
            case PING, CLOSE -> {
                // The protocol answers Pings and Close frames itself.
            }
        }
    }

    /** Writes what the protocol produced and arms the close timer when TCP should close soon. */
    void flushOutput() {
        writer.write(protocol.dataToSend());
        openForSending = opened && !terminated && protocol.state() == ProtocolState.OPEN;
        if (closeTimer == null && protocol.closeExpected()) {
            Duration timeout = options.closeTimeout();
            if (!timeout.isZero()) {
                closeTimer = schedule(timeout, () -> {
                    if (!terminated) {
                        LOG.debug("[{}] closing handshake timed out after {}: aborting", id(), timeout);
                        abort();
                    }
                });
            }
        }
    }

    /** Sends the pending Close (on the loop): the messages before it were taken, or the grace expired. */
    private void commitClose() {
        if (graceTimer != null) {
            graceTimer.dispose();
        }
        if (!terminated && protocol.closePending()) {
            protocol.commitClose();
            flushOutput();
        }
    }

    @Override
    public void closeMarkerReached() {
        commitClose();
    }

    @Override
    public void pauseReading() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReading() {
        channel.config().setAutoRead(true);
    }

    /** The channel is closed (on the loop): ends everything with the protocol's closing details. */
    void onInactive() {
        if (terminated) {
            return;
        }
        terminated = true;
        openForSending = false;
        writer.close();
        dispose(openTimer);
        dispose(closeTimer);
        dispose(graceTimer);
        if (protocol.state() != ProtocolState.CLOSED) {
            // "If the TCP connection was closed [...] the WebSocket Connection is Closed" (§7.1.4).
            protocol.receiveEof();
            protocol.eventsReceived();
        }
        protocol.dataToSend();
        ConnectionClosedException details = closeDetailsNow();
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] connection closed: {}", id(), details.getMessage());
        }
        keepalive.stop(details);
        if (handshake != null) {
            HandshakeListener listener = handshake;
            handshake = null;
            listener.onClosedBeforeOpen(details);
        }
        inbound.terminate(details.isOk() ? null : details);
        if (senders != null) {
            for (SendOperation.Sender sender : senders.toArray(new SendOperation.Sender[0])) {
                sender.connectionClosed(details);
            }
            senders.clear();
        }
        closed.tryEmitValue(details);
    }

    /** An I/O error (on the loop): logged once, quietly for resets; the connection is closed (1006). */
    void onTransportError(Throwable cause) {
        if (transportError == null) {
            transportError = cause;
        }
        if (!isExpected(cause)) {
            LOG.warn("[{}] unexpected error on the connection; closing it", id(), cause);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] connection lost: {}", id(), cause.toString());
        }
        abort();
    }

    /** The channel's writability changed (on the loop): senders may request again. */
    void onWritabilityChanged() {
        if (channel.isWritable() && senders != null) {
            for (SendOperation.Sender sender : senders.toArray(new SendOperation.Sender[0])) {
                sender.onWritable();
            }
        }
    }

    /** Whether the channel closed. */
    boolean isTerminated() {
        return terminated;
    }

    /** Closes the TCP connection now. */
    void abort() {
        channel.close();
    }

    private static boolean isExpected(Throwable cause) {
        return cause instanceof IOException
                || (cause instanceof DecoderException && cause.getCause() instanceof SSLException);
    }

    private ConnectionClosedException closeDetailsNow() {
        ConnectionClosedException details = protocol.closeException();
        if (details == null || (details.getCause() == null && transportError != null)) {
            Throwable cause = protocol.failureCause() != null ? protocol.failureCause() : transportError;
            Boolean receivedThenSent = details != null ? details.receivedThenSent() : null;
            details = ConnectionClosedException.of(
                    protocol.closeReceived(), protocol.closeSent(), receivedThenSent, cause);
        }
        return details;
    }

    private Disposable schedule(Duration delay, Runnable task) {
        return options.timer().schedule(() -> execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void dispose(Disposable disposable) {
        if (disposable != null) {
            disposable.dispose();
        }
    }

    /** Whether the caller runs on this connection's event loop. */
    boolean inEventLoop() {
        return loop.inEventLoop();
    }

    /** Runs {@code task} on the event loop: now when already there, else queued (FIFO). */
    @Override
    public void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                LOG.debug("[{}] event loop shut down; task dropped", id());
            }
        }
    }

    // ------------------------------------------------------------------ outbound (on the loop)

    /** Registers a sender; returns why it cannot send (the connection is closed), or {@code null}. */
    Throwable register(SendOperation.Sender sender) {
        if (terminated) {
            return closeDetailsNow();
        }
        if (senders == null) {
            senders = new ArrayList<>(2);
        }
        if (!senders.contains(sender)) {
            senders.add(sender);
        }
        return null;
    }

    void unregister(SendOperation.Sender sender) {
        if (senders != null) {
            senders.remove(sender);
        }
    }

    boolean isWritable() {
        return channel.isWritable();
    }

    /** Serializes one message; returns why it could not be sent, or {@code null}. */
    Throwable sendMessage(Message message) {
        ByteBuffer payload = ByteBuffer.wrap(message.array());
        Opcode opcode = message.isText() ? Opcode.TEXT : Opcode.BINARY;
        try {
            if (message.isText()) {
                protocol.sendText(payload, true, message.isCompressible());
            } else {
                protocol.sendBinary(payload, true, message.isCompressible());
            }
        } catch (InvalidStateException e) {
            return notOpenException();
        }
        if (FrameTrace.enabled()) {
            // The protocol consumed the first wrapper; the trace gets its own, and only when it logs.
            FrameTrace.sent(id(), opcode, true, message.isCompressible(), ByteBuffer.wrap(message.array()));
        }
        flushOutput();
        return null;
    }

    void whenWritten(Consumer<Boolean> callback) {
        writer.whenWritten(callback);
    }

    /** Why nothing can be sent: the closing details, complete once the connection is closed. */
    Throwable notOpenException() {
        if (terminated) {
            return closeDetailsNow();
        }
        return ConnectionClosedException.of(protocol.closeReceived(), protocol.closeSent(), null, null);
    }

    @Override
    public Throwable notOpen() {
        return notOpenException();
    }

    @Override
    public boolean canPing() {
        return opened && !terminated && protocol.state() == ProtocolState.OPEN;
    }

    @Override
    public void sendPing(ByteBuffer payload) {
        if (FrameTrace.enabled()) {
            FrameTrace.sent(id(), Opcode.PING, true, false, payload);
        }
        protocol.sendPing(payload);
        flushOutput();
    }

    @Override
    public void pingTimedOut() {
        if (!terminated && protocol.state() == ProtocolState.OPEN) {
            LOG.debug("[{}] keepalive ping timeout", id());
            protocol.fail(CloseCodes.INTERNAL_ERROR, "keepalive ping timeout");
            flushOutput();
        }
    }

    /** Closes with {@code code} after the handler finished (on the loop): commits a pending close first. */
    void closeAfterHandler(int code) {
        if (terminated) {
            return;
        }
        if (protocol.closePending()) {
            commitClose();
        } else if (protocol.state() == ProtocolState.OPEN) {
            protocol.sendClose(code, "");
            flushOutput();
        }
    }

    // ------------------------------------------------------------------ WebSocketSession

    @Override
    public Flux<Message> receive() {
        return inbound;
    }

    @Override
    public Mono<Void> send(Publisher<? extends Message> messages) {
        if (messages == null) {
            return Mono.error(new NullPointerException("messages"));
        }
        return new SendOperation(this, messages);
    }

    @Override
    public boolean offer(Message message) {
        long size = message.length();
        if (!openForSending || channel.bytesBeforeUnwritable() - offeredBytes <= 0) {
            return false;
        }
        OFFERED_BYTES.addAndGet(this, size);
        execute(() -> {
            OFFERED_BYTES.addAndGet(this, -size);
            if (!terminated && protocol.state() == ProtocolState.OPEN) {
                sendMessage(message);
            }
        });
        return true;
    }

    @Override
    public Mono<Duration> ping(ByteBuffer payload) {
        if (payload == null || payload.remaining() > 125) {
            return Mono.error(new IllegalArgumentException("ping payload must be at most 125 bytes, got "
                    + (payload == null ? "null" : payload.remaining() + " bytes")));
        }
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        return keepalive.ping(ByteBuffer.wrap(copy));
    }

    @Override
    public Mono<Duration> ping() {
        byte[] data = new byte[4];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(data);
        return ping(ByteBuffer.wrap(data));
    }

    @Override
    public Mono<Void> close(int code, String reason) {
        if (!CloseCodes.isSendable(code)) {
            return Mono.error(new IllegalArgumentException("close code cannot be sent: " + code));
        }
        if (reason == null || reason.getBytes(StandardCharsets.UTF_8).length > CloseStatus.MAX_REASON_BYTES) {
            return Mono.error(new IllegalArgumentException(
                    "close reason must be at most " + CloseStatus.MAX_REASON_BYTES + " UTF-8 bytes: " + reason));
        }
        return Mono.<Void>fromRunnable(() -> execute(() -> {
                    if (terminated) {
                        return;
                    }
                    if (protocol.closePending()) {
                        // The peer's Close (or a failure) waits for the application: closing is its answer.
                        commitClose();
                    } else if (protocol.state() == ProtocolState.OPEN) {
                        protocol.sendClose(code, reason);
                        flushOutput();
                    }
                }))
                .then(closed.asMono().then());
    }

    @Override
    public Mono<CloseStatus> closeStatus() {
        return closed.asMono()
                .map(details -> details.received() != null
                        ? details.received()
                        : new CloseStatus(CloseCodes.ABNORMAL_CLOSURE, ""));
    }

    @Override
    public Mono<ConnectionClosedException> closeDetails() {
        return closed.asMono();
    }

    /** The protocol's UUID as text, made on the first call (racing callers get equal strings). */
    @Override
    public String id() {
        String value = id;
        if (value == null) {
            value = protocol.id().toString();
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
        return channel.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public Duration latency() {
        return keepalive.latency();
    }

    @Override
    public boolean isOpen() {
        return openForSending;
    }

    // ------------------------------------------------------------------ for tests (on the loop)

    /** Bytes read from the socket so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** The inbound queue, for flow-control assertions. */
    InboundQueue inboundQueue() {
        return inbound;
    }

    /** Pings (keepalive and user) waiting for their Pong. */
    int pendingPings() {
        return keepalive.pendingPings();
    }

    /** The payload bytes of a fragmented message in progress. */
    long assemblingBytes() {
        return assembler == null ? 0 : assembler.bufferedBytes();
    }

    @Override
    public String toString() {
        return "WebSocketSession[" + id() + ", " + channel.remoteAddress() + "]";
    }
}
