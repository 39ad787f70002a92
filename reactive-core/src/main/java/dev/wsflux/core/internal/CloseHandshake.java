package dev.wsflux.core.internal;

import dev.wsflux.protocol.Protocol;
import dev.wsflux.protocol.ProtocolState;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import java.time.Duration;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The closing handshake of one session (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-7">RFC
 * 6455 §7</a>) as the engine runs it: when the Close goes out, how long the engine waits for the peer, and
 * when it gives up and aborts TCP. The protocol, built with {@code deferClose(true)}, decides <em>what</em>
 * is sent; this class decides <em>when</em>. Confined to the event loop.
 *
 * <p>The state is derived from the protocol and the channel, never stored twice:
 *
 * <table>
 *   <caption>States and transitions</caption>
 *   <tr><th>state</th><th>event</th><th>action</th><th>next state</th></tr>
 *   <tr><td>OPEN</td><td>the peer's Close, or a protocol violation, is parsed</td>
 *       <td>the protocol holds its answer ({@code closePending}); if the application already took every
 *       message received before it, send it now, else arm the {@link #CLOSE_GRACE} timer</td>
 *       <td>CLOSE_PENDING</td></tr>
 *   <tr><td>OPEN</td><td>{@code close(code, reason)}, or a server handler ends (1000, or 1011 on error)</td>
 *       <td>send our Close; arm {@code closeTimeout}; reading never pauses again: data messages still
 *       arriving are queued while the queue has room and dropped beyond it, so the peer's Close is seen at
 *       once</td>
 *       <td>CLOSE_SENT</td></tr>
 *   <tr><td>OPEN</td><td>no Pong within {@code pingTimeout}</td>
 *       <td>fail with 1011 "keepalive ping timeout"; arm {@link #KEEPALIVE_ABORT_GRACE} (or
 *       {@code closeTimeout} if shorter): a peer just declared dead gets no full close timeout</td>
 *       <td>CLOSE_SENT</td></tr>
 *   <tr><td>CLOSE_PENDING</td><td>the messages before the Close were delivered (or dropped by a cancel);
 *       the grace expired; {@code close()}; the handler ended</td>
 *       <td>send the pending Close (the peer's code echoed, or the violation's code); arm
 *       {@code closeTimeout}</td><td>CLOSE_SENT</td></tr>
 *   <tr><td>CLOSE_SENT</td><td>the peer's Close arrives</td>
 *       <td>the server closes TCP (§7.1.1); the client waits for the server to</td><td>CLOSE_SENT</td></tr>
 *   <tr><td>CLOSE_SENT</td><td>the close timer expires</td><td>abort TCP</td><td>CLOSED</td></tr>
 *   <tr><td>any</td><td>the channel becomes inactive (TCP closed, reset, aborted)</td>
 *       <td>disarm every timer</td><td>CLOSED</td></tr>
 * </table>
 */
final class CloseHandshake {

    /** The states of the table above. */
    enum State {
        /** No Close sent, none pending. */
        OPEN,
        /** A Close (the answer to the peer's, or a failure) waits for the application to catch up. */
        CLOSE_PENDING,
        /** Our Close is sent (or the connection failed without one): waiting for the peer and for TCP. */
        CLOSE_SENT,
        /** The channel is closed. */
        CLOSED
    }

    /** What the closing handshake needs from the engine. Called on the event loop. */
    interface Connection {
        /** Writes what the protocol produced (without running the close steps again). */
        void writeOutput();

        /** Closes TCP now. */
        void abort();

        /** Whether the channel is closed. */
        boolean isTerminated();

        /**
         * Records that a Close is pending behind the queued messages.
         *
         * @return {@code true} when nothing precedes it, so that it can be sent at once
         */
        boolean markPendingClose();

        /** Our Close is on the wire: input is wanted again whatever the queue holds (data beyond it is dropped). */
        void closeSent();

        /** The connection's id, for logs. */
        String id();
    }

    /**
     * How long a pending close waits for the application to take the messages received before it. One
     * second lets a responsive application reply to them; a stalled one cannot hold the connection.
     */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    /**
     * How long TCP stays open after a keepalive timeout failed the connection with 1011: one second, for
     * the Close frame to leave. The peer did not answer a Ping for {@code pingTimeout}; waiting the full
     * {@code closeTimeout} for its Close would only keep a dead connection's memory longer.
     */
    static final Duration KEEPALIVE_ABORT_GRACE = Duration.ofSeconds(1);

    private static final Logger LOG = Loggers.getLogger(CloseHandshake.class);

    private final Protocol protocol;
    private final Connection connection;
    private final SessionTimers timers;
    private final Duration closeTimeout;
    private boolean pendingSeen;
    private boolean closeSentSeen;

    CloseHandshake(Protocol protocol, Connection connection, SessionTimers timers, Duration closeTimeout) {
        this.protocol = protocol;
        this.connection = connection;
        this.timers = timers;
        this.closeTimeout = closeTimeout;
    }

    /** The state, derived from the protocol and the channel. */
    State state() {
        if (connection.isTerminated()) {
            return State.CLOSED;
        }
        if (protocol.closePending()) {
            return State.CLOSE_PENDING;
        }
        return protocol.state() == ProtocolState.OPEN ? State.OPEN : State.CLOSE_SENT;
    }

    /**
     * Runs the transitions that the protocol's last step made due: called after every protocol call and
     * write. Cheap when nothing changed (two flags and two protocol getters).
     */
    void step() {
        if (connection.isTerminated()) {
            return;
        }
        if (!pendingSeen && protocol.closePending()) {
            pendingSeen = true;
            if (connection.markPendingClose()) {
                commit();
                return;
            }
            timers.startGrace(CLOSE_GRACE, this::commit);
        }
        ProtocolState state = protocol.state();
        if (!closeSentSeen
                && (state == ProtocolState.CLOSING || state == ProtocolState.CLOSED)
                && !protocol.closePending()) {
            closeSentSeen = true;
            connection.closeSent();
        }
        if (!timers.closeStarted() && protocol.closeExpected()) {
            timers.startClose(closeTimeout, this::closeTimedOut);
        }
    }

    /** The application (or a server handler's end) closes with {@code status}. */
    void close(CloseStatus status) {
        if (connection.isTerminated()) {
            return;
        }
        if (protocol.closePending()) {
            // The peer's Close (or a failure) waits for the application: closing is its answer.
            commit();
        } else if (protocol.state() == ProtocolState.OPEN) {
            protocol.sendClose(status.code(), status.reason());
            connection.writeOutput();
            step();
        }
    }

    /** The messages before the pending Close were taken: it goes out now. */
    void pendingCloseReached() {
        commit();
    }

    /** No Pong arrived in time: fails with 1011 and aborts TCP after a short grace. */
    void keepaliveTimedOut() {
        if (connection.isTerminated() || protocol.state() != ProtocolState.OPEN) {
            return;
        }
        LOG.debug("[{}] keepalive ping timeout", connection.id());
        Duration grace = closeTimeout.isZero() || closeTimeout.compareTo(KEEPALIVE_ABORT_GRACE) > 0
                ? KEEPALIVE_ABORT_GRACE
                : closeTimeout;
        timers.startClose(grace, this::closeTimedOut);
        protocol.fail(CloseCodes.INTERNAL_ERROR, "keepalive ping timeout");
        connection.writeOutput();
        step();
    }

    private void commit() {
        timers.cancelGrace();
        if (!connection.isTerminated() && protocol.closePending()) {
            protocol.commitClose();
            connection.writeOutput();
        }
        step();
    }

    private void closeTimedOut() {
        if (!connection.isTerminated()) {
            LOG.debug("[{}] closing handshake timed out: aborting", connection.id());
            connection.abort();
        }
    }
}
