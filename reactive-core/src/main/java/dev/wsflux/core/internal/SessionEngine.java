package dev.wsflux.core.internal;

import dev.wsflux.core.MemoryBudget;
import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.protocol.Protocol;
import dev.wsflux.protocol.ProtocolState;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.InvalidStateException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Runs one Sans-I/O {@link Protocol} over one Reactor Netty {@link Connection}, for either role. Every
 * protocol call happens on the channel's event loop (the protocol is not thread-safe); calls from other
 * threads hop onto it through {@link #execute}. The user-facing {@link Session} is a thin facade over it.
 *
 * <p>The pieces, each behind a narrow interface: {@link EngineHandler} feeds bytes in;
 * {@link MessageAssembler} joins fragments; {@link InboundQueue} is {@code receive()};
 * {@link SendOperation} is {@code send()}; {@link OutboundWriter} writes and batches flushes;
 * {@link Keepalive} owns pings; {@link CloseHandshake} decides when Close frames go out and when TCP is
 * aborted; {@link SessionTimers} holds the timers. This class wires them to the protocol and to the
 * channel, and owns the two decisions that bound inbound memory:
 *
 * <ul>
 *   <li><b>Decode only what the queue has room for.</b> Every read goes to the protocol with the queue's
 *       room as its receive limits ({@link Protocol#receiveData(ByteBuffer, int, long)}): no frame is
 *       decoded beyond them, and the rest of the read waits undecoded in the protocol (one read at most).
 *   <li><b>Read only while there is room.</b> Auto-read is on only while nothing waits undecoded, the
 *       queue is not full and the {@link MemoryBudget} does not ask this connection to pause; the peer's
 *       TCP window closes otherwise. Only this class switches auto-read.
 * </ul>
 *
 * <p>An error thrown while processing the connection (by an extension, a handler, an allocation; an
 * {@code Error} too) aborts this connection only; it is logged once and the event loop goes on.
 */
final class SessionEngine
        implements Executor,
                InboundQueue.Owner,
                Keepalive.Pinger,
                SendOperation.Outbound,
                CloseHandshake.Connection,
                OutboundWriter.Owner {

    /** Receives the handshake events and the end of the connection while it is not open yet. */
    interface HandshakeListener {
        /** A {@code Request} (server) or {@code Response} (client) was received (on the loop). */
        void onHandshakeEvent(Event event);

        /** The connection ended before it opened (on the loop). */
        void onClosedBeforeOpen(ConnectionClosedException details);
    }

    private static final Logger LOG = Loggers.getLogger(SessionEngine.class);
    private static final ByteBuffer NO_INPUT = ByteBuffer.allocate(0).asReadOnlyBuffer();

    final Connection connection;
    final Channel channel;
    final EventLoop loop;
    final Protocol protocol;
    final SessionOptions options;
    final Session session;
    private final OutboundWriter writer;
    private final InboundQueue inbound;
    private final Keepalive keepalive;
    private final SessionTimers timers;
    private final CloseHandshake closing;
    private final MemoryBudget budget;
    // Made on the first data frame: an idle connection keeps none.
    private MessageAssembler assembler;
    // Made on the first send(): most connections have one sender or none.
    private List<SendOperation.Sender> senders;
    // Emitted once, on the loop: no serialization needed (subscribers may come from any thread).
    final Sinks.One<ConnectionClosedException> closed = Sinks.unsafe().one();

    private HandshakeListener handshake;
    private boolean opened;
    private boolean terminated;
    private Throwable transportError;
    private boolean internalFailureLogged;
    private long bytesRead;

    // Reading: whether auto-read is on, and the re-entrancy guard of pump().
    private boolean reading;
    private boolean dispatching;
    private boolean pumping;
    private boolean pumpAgain;
    // The memory budget: the bytes charged for this connection, and whether it waits for the budget.
    private long charged;
    private boolean budgetPaused;

    SessionEngine(Connection connection, Protocol protocol, SessionOptions options) {
        this.connection = connection;
        this.channel = connection.channel();
        this.loop = channel.eventLoop();
        this.protocol = protocol;
        this.options = options;
        this.budget = options.memoryBudget();
        this.writer = new OutboundWriter(channel, this);
        this.inbound = new InboundQueue(
                this,
                options.maxQueueHigh(),
                options.maxQueueLow(),
                options.maxQueueBytesHigh(),
                options.maxQueueBytesLow());
        this.keepalive = new Keepalive(this, options);
        this.timers = new SessionTimers(options.timer(), this);
        this.closing = new CloseHandshake(protocol, this, timers, options.closeTimeout());
        this.session = new Session(this);
        SessionFrameObserver.bind(protocol, session);
    }

    // ------------------------------------------------------------------ lifecycle (on the loop)

    /** Installs the engine in the pipeline and starts reading. */
    void start(HandshakeListener listener) {
        handshake = listener;
        channel.config().setWriteBufferWaterMark(WaterMarks.of(options.writeLimitLow(), options.writeLimitHigh()));
        EngineHandler.install(channel, new EngineHandler(this));
        if (!channel.isActive()) {
            onInactive();
            return;
        }
        // Reactor Netty creates channels with auto-read off; from here on only updateReading() switches it.
        setReading(true);
    }

    /** Arms {@code openTimeout}: the handshake must finish in time or the connection is aborted. */
    void armOpenTimer() {
        timers.startOpen(options.openTimeout(), () -> {
            if (!opened && !terminated) {
                LOG.debug("[{}] opening handshake timed out after {}", id(), options.openTimeout());
                abort();
            }
        });
    }

    /** The handshake succeeded: starts the session (on the loop). */
    void open(Request handshakeRequest, Response handshakeResponse) {
        session.opened(handshakeRequest, handshakeResponse, protocol.subprotocol(), protocol.extensions());
        opened = true;
        session.setOpen(protocol.state() == ProtocolState.OPEN);
        handshake = null;
        timers.cancelOpen();
        keepalive.start();
    }

    /** Bytes from the socket (on the loop). */
    void onData(ByteBuffer data) {
        if (terminated) {
            return;
        }
        bytesRead += data.remaining();
        if (pumping) {
            // A read inside our own processing (a transport that reads synchronously when auto-read is set):
            // kept undecoded, behind what is being parsed, and parsed by the running pump in order.
            protocol.receiveData(data, 0, 0);
            pumpAgain = true;
            return;
        }
        pump(data);
    }

    /**
     * Parses {@code data}, then what the protocol kept undecoded, as far as the queue has room; then decides
     * whether to read the socket. Not re-entrant: a nested call only asks the running one to go round again.
     */
    private void pump(ByteBuffer data) {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            protocol.receiveData(data, messageRoom(), byteRoom());
            processEvents();
            do {
                pumpAgain = false;
                // While the handshake is in progress, bytes behind the request wait for the response to open
                // the connection: parsing them again would parse nothing, forever.
                while (!terminated
                        && protocol.state() != ProtocolState.CONNECTING
                        && protocol.hasUnparsedInput()
                        && messageRoom() > 0
                        && byteRoom() > 0) {
                    protocol.receiveData(NO_INPUT, messageRoom(), byteRoom());
                    processEvents();
                }
            } while (pumpAgain && !terminated);
        } finally {
            pumping = false;
        }
        updateReading();
        syncBudget();
    }

    /** How many more data messages may be decoded: unlimited once our Close was sent (they are dropped). */
    private int messageRoom() {
        if (protocol.closeSent() != null) {
            return Integer.MAX_VALUE;
        }
        return budgetPaused ? 0 : inbound.messageRoom();
    }

    private long byteRoom() {
        if (protocol.closeSent() != null) {
            return Long.MAX_VALUE;
        }
        return budgetPaused ? 0 : inbound.byteRoom();
    }

    /** Switches auto-read on while there is room for what a read brings, off otherwise. */
    private void updateReading() {
        if (terminated) {
            return;
        }
        boolean read = !protocol.hasUnparsedInput() && messageRoom() > 0 && byteRoom() > 0;
        if (read && protocol.closeSent() == null && budget.shouldPause(holding())) {
            read = false;
            if (!budgetPaused) {
                budgetPaused = true;
                LOG.debug("[{}] memory budget under pressure: reading paused", id());
                // Queued, never inline: the budget wakes waiters from whichever connection released memory.
                budget.whenBelowPressure(() -> executeLater(this::budgetAvailable));
            }
        }
        setReading(read);
    }

    private void budgetAvailable() {
        budgetPaused = false;
        pump(NO_INPUT);
    }

    private void setReading(boolean read) {
        if (read != reading) {
            reading = read;
            channel.config().setAutoRead(read);
        }
    }

    /** The bytes this connection holds for the memory budget. */
    private long holding() {
        long assembling = assembler == null ? 0 : assembler.bufferedBytes();
        return inbound.queuedBytes() + assembling + protocol.unparsedBytes() + writer.bufferedBytes();
    }

    private void syncBudget() {
        long now = terminated ? 0 : holding();
        long before = charged;
        if (now != before) {
            // Recorded first: the update may wake paused connections, and their tasks must see it.
            charged = now;
            budget.update(before, now);
        }
    }

    /**
     * Processes the events the protocol has parsed, then writes its output and runs the closing steps. The
     * closing steps wait until every event is dispatched: a Close parsed in the same read as messages before
     * it must see them queued (strict delivery), not still in this list.
     */
    void processEvents() {
        List<Event> events = protocol.eventsReceived();
        boolean outer = dispatching;
        dispatching = true;
        try {
            for (int i = 0, n = events.size(); i < n; i++) {
                Event event = events.get(i);
                if (event instanceof Frame frame) {
                    onFrame(frame);
                } else if (handshake != null) {
                    handshake.onHandshakeEvent(event);
                }
            }
        } finally {
            dispatching = outer;
        }
        flushOutput();
    }

    private void onFrame(Frame frame) {
        switch (frame.opcode()) {
            case TEXT, BINARY, CONTINUATION -> {
                MessageAssembler assembling = assembler;
                if (assembling == null) {
                    assembler = assembling = new MessageAssembler();
                }
                Message message = assembling.onFrame(frame);
                // After our Close, reading never pauses: what the queue has room for is still delivered (the
                // replies in flight when we closed), the rest is dropped, so that the peer's Close is read at once.
                if (message != null
                        && (protocol.closeSent() == null || (inbound.messageRoom() > 0 && inbound.byteRoom() > 0))) {
                    inbound.offer(message);
                }
            }
            case PONG -> keepalive.onPong(frame.payload());
            case PING, CLOSE -> {
                // The protocol answers Pings and Close frames itself.
            }
        }
    }

    /** Writes what the protocol produced, then runs the closing handshake's steps (unless dispatching). */
    void flushOutput() {
        writeOutput();
        if (!dispatching) {
            closing.step();
        }
    }

    @Override
    public void writeOutput() {
        writer.write(protocol.dataToSend());
        session.setOpen(opened && !terminated && protocol.state() == ProtocolState.OPEN);
    }

    // ------------------------------------------------------------------ the channel (on the loop)

    /** The channel is closed (on the loop): ends everything with the protocol's closing details. */
    void onInactive() {
        if (terminated) {
            return;
        }
        terminated = true;
        session.setOpen(false);
        writer.close();
        timers.cancelAll();
        if (protocol.state() != ProtocolState.CLOSED) {
            // "If the TCP connection was closed [...] the WebSocket Connection is Closed" (§7.1.4).
            protocol.receiveEof();
            protocol.eventsReceived();
        }
        protocol.dataToSend();
        // Undelivered messages of a closed connection no longer count: the budget is for live ones.
        syncBudget();
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
            // The cause users see in the closing details: a JDK exception, never Netty's.
            transportError = JdkErrors.jdk(cause);
        }
        if (!isExpected(cause)) {
            LOG.warn("[{}] unexpected error on the connection; closing it", id(), cause);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] connection lost: {}", id(), cause.toString());
        }
        abort();
    }

    /**
     * An error thrown while processing this connection (by our code, an extension, a handler, an allocation):
     * logged once, and the connection is aborted. Nothing is rethrown: the event loop and the timers go on
     * serving every other connection.
     */
    void onInternalError(Throwable error) {
        if (transportError == null) {
            transportError = error;
        }
        if (!internalFailureLogged) {
            internalFailureLogged = true;
            LOG.error("[{}] error while processing the connection; aborting it", id(), error);
        }
        try {
            abort();
        } catch (Throwable ignored) {
            // Closing failed too (the channel is already gone, or memory is short): nothing more to do here.
        }
    }

    /** The channel's writability changed (on the loop): senders may request again. */
    void onWritabilityChanged() {
        if (channel.isWritable() && senders != null) {
            for (SendOperation.Sender sender : senders.toArray(new SendOperation.Sender[0])) {
                sender.onWritable();
            }
        }
    }

    @Override
    public boolean isTerminated() {
        return terminated;
    }

    @Override
    public void abort() {
        channel.close();
    }

    private static boolean isExpected(Throwable cause) {
        return cause instanceof IOException
                || (cause instanceof DecoderException && cause.getCause() instanceof SSLException);
    }

    /** How the connection closed, or is closing: the Close frames so far, their order and the cause. */
    @Override
    public ConnectionClosedException closeDetailsNow() {
        ConnectionClosedException details = protocol.closeException();
        if (details == null || (details.getCause() == null && transportError != null)) {
            Throwable cause = protocol.failureCause() != null ? protocol.failureCause() : transportError;
            details = ConnectionClosedException.of(
                    protocol.closeReceived(), protocol.closeSent(), protocol.receivedThenSent(), cause);
        }
        return details;
    }

    @Override
    public boolean inEventLoop() {
        return loop.inEventLoop();
    }

    /**
     * Runs {@code task} on the event loop: now when already there, else queued (FIFO). An error it throws
     * aborts this connection ({@link #onInternalError}).
     */
    @Override
    public void execute(Runnable task) {
        if (loop.inEventLoop()) {
            runGuarded(task);
        } else {
            try {
                loop.execute(() -> runGuarded(task));
            } catch (RejectedExecutionException e) {
                LOG.debug("[{}] event loop shut down; task dropped", id());
            }
        }
    }

    @Override
    public void executeLater(Runnable task) {
        try {
            loop.execute(() -> runGuarded(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("[{}] event loop shut down; task dropped", id());
        }
    }

    void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable error) {
            onInternalError(error);
        }
    }

    // ------------------------------------------------------------------ inbound queue (on the loop)

    @Override
    public void drained() {
        pump(NO_INPUT);
    }

    @Override
    public void closeMarkerReached() {
        closing.pendingCloseReached();
    }

    @Override
    public boolean markPendingClose() {
        return inbound.markClose();
    }

    @Override
    public void closeSent() {
        // Input is wanted again, whatever the queue holds: the peer's Close may be behind unread data.
        pump(NO_INPUT);
    }

    // ------------------------------------------------------------------ outbound (on the loop)

    @Override
    public Throwable register(SendOperation.Sender sender) {
        if (terminated || protocol.state() != ProtocolState.OPEN) {
            // A send started once the connection stopped taking data fails at once, as in websockets.
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

    @Override
    public void unregister(SendOperation.Sender sender) {
        if (senders != null) {
            senders.remove(sender);
        }
    }

    @Override
    public long bytesBeforeUnwritable() {
        return channel.bytesBeforeUnwritable();
    }

    /** Serializes one message; returns {@code false} when the connection no longer takes data. */
    @Override
    public boolean send(Message message) {
        if (terminated || protocol.state() != ProtocolState.OPEN) {
            return false;
        }
        byte[] bytes = Session.payloadArrayOf(message);
        try {
            if (message.isText()) {
                protocol.sendText(ByteBuffer.wrap(bytes), true, message.isCompressible());
            } else {
                protocol.sendBinary(ByteBuffer.wrap(bytes), true, message.isCompressible());
            }
        } catch (InvalidStateException e) {
            return false;
        }
        flushOutput();
        return true;
    }

    @Override
    public void whenWritten(Consumer<Boolean> callback) {
        writer.whenWritten(callback);
    }

    @Override
    public void flushed() {
        syncBudget();
    }

    // ------------------------------------------------------------------ keepalive (on the loop)

    @Override
    public boolean canPing() {
        return opened && !terminated && protocol.state() == ProtocolState.OPEN;
    }

    @Override
    public void sendPing(ByteBuffer payload) {
        protocol.sendPing(payload);
        flushOutput();
    }

    @Override
    public void pingTimedOut() {
        closing.keepaliveTimedOut();
    }

    @Override
    public Throwable notOpen() {
        return closeDetailsNow();
    }

    // ------------------------------------------------------------------ closing (on the loop)

    /** The application closes with {@code status} (on the loop). */
    void close(CloseStatus status) {
        closing.close(status);
    }

    @Override
    public String id() {
        return session.id();
    }

    Keepalive keepalive() {
        return keepalive;
    }

    InboundQueue inbound() {
        return inbound;
    }

    /** The state of the closing handshake (for tests). */
    CloseHandshake.State closeState() {
        return closing.state();
    }

    // ------------------------------------------------------------------ for tests (on the loop)

    /** Bytes read from the socket so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** The bytes charged to the memory budget. */
    long chargedBytes() {
        return charged;
    }

    /** Whether auto-read is on. */
    boolean isReading() {
        return reading;
    }

    /** The payload bytes of a fragmented message in progress. */
    long assemblingBytes() {
        return assembler == null ? 0 : assembler.bufferedBytes();
    }

    /** Pings (keepalive and user) waiting for their Pong. */
    int pendingPings() {
        return keepalive.pendingPings();
    }

    @Override
    public String toString() {
        return "SessionEngine[" + id() + ", " + channel.remoteAddress() + "]";
    }

    /** The channel water marks for {@code writeLimit}, shared by connections with the same limits. */
    static final class WaterMarks {
        // The last one made: immutable, and almost every connection of a process has the same limits.
        private static volatile WriteBufferWaterMark last = WriteBufferWaterMark.DEFAULT;

        private WaterMarks() {}

        static WriteBufferWaterMark of(int low, int high) {
            WriteBufferWaterMark mark = last;
            if (mark.low() != low || mark.high() != high) {
                mark = new WriteBufferWaterMark(low, high);
                last = mark;
            }
            return mark;
        }
    }
}
