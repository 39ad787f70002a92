package dev.wsflux.core.internal;

import dev.wsflux.protocol.Protocol;
import dev.wsflux.protocol.frames.Event;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import reactor.netty.Connection;

/**
 * One engine connection over Netty's {@link EmbeddedChannel}, its peer a Sans-I/O {@link Protocol} the test
 * drives: bytes cross between them only when the test says so, and every task the engine queues on the
 * channel's loop runs when the test runs {@link #runPendingTasks()}. Every buffer read from the channel is
 * released here. Not thread-safe: the test's thread is the event loop.
 */
final class EmbeddedConnection implements AutoCloseable {
    final EmbeddedChannel channel = new EmbeddedChannel();
    final Connection connection = Connection.from(channel);
    final Protocol peer;
    private boolean eofDelivered;

    EmbeddedConnection(Protocol peer) {
        this.peer = peer;
    }

    /** Runs what the engine queued on the loop (its flushes among them). */
    void runPendingTasks() {
        channel.runPendingTasks();
    }

    /** Hands what the peer produced to the engine, as one read. */
    void deliverToEngine() {
        List<ByteBuffer> data = peer.dataToSend();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ByteBuffer buffer : data) {
            if (buffer != Protocol.EOF) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.duplicate().get(chunk);
                bytes.writeBytes(chunk);
            }
        }
        writeInbound(bytes.toByteArray());
    }

    /** {@code bytes} arrive from the socket, as one read. */
    void writeInbound(byte[] bytes) {
        if (bytes.length > 0) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
        runPendingTasks();
    }

    /** The bytes the engine wrote so far (after running its pending flush), each buffer released. */
    byte[] readOutbound() {
        runPendingTasks();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) message;
            try {
                byte[] chunk = new byte[buf.readableBytes()];
                buf.readBytes(chunk);
                bytes.writeBytes(chunk);
            } finally {
                buf.release();
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Hands what the engine wrote to the peer, and the end of the connection once the channel is closed;
     * returns the peer's events.
     */
    List<Event> deliverToPeer() {
        peer.receiveData(ByteBuffer.wrap(readOutbound()));
        if (!channel.isActive() && !eofDelivered) {
            eofDelivered = true;
            peer.receiveEof();
        }
        return peer.eventsReceived();
    }

    /** Whether the engine closed (or aborted) the connection. */
    boolean isClosed() {
        runPendingTasks();
        return !channel.isActive();
    }

    /** Closes the channel as a reset would, and releases whatever is left in it. */
    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
