package dev.wsflux.core;

import dev.wsflux.protocol.Protocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes the protocol's output to the channel and flushes it in batches. Not thread-safe: used on the
 * connection's event loop only.
 *
 * <p>Writes are not flushed one by one: the first write of an event-loop task schedules one flush at the
 * end of the task, so that every frame produced while handling one read (replies, pongs, a burst from a
 * synchronous publisher) leaves in one syscall. Buffers are wrapped, not copied; the protocol hands over
 * ownership of what {@code dataToSend()} returns.
 *
 * <p>{@link Protocol#EOF} half-closes the TCP connection once the bytes before it are written: the
 * server closes TCP first (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-7.1.1">RFC 6455
 * §7.1.1</a>) and waits for the client's EOF, bounded by {@code closeTimeout}. Over TLS, or on transports
 * without half-close, the channel is closed instead.
 */
final class OutboundWriter {
    private final Channel channel;
    private final Runnable flushTask = this::flushNow;
    private boolean flushScheduled;
    private boolean eof;
    private long bytesWritten;

    OutboundWriter(Channel channel) {
        this.channel = channel;
    }

    /** Writes {@code data} in order and schedules a flush; stops at {@link Protocol#EOF}. */
    void write(List<ByteBuffer> data) {
        for (int i = 0, n = data.size(); i < n; i++) {
            ByteBuffer buffer = data.get(i);
            if (buffer == Protocol.EOF) {
                writeEof();
            } else if (!eof && buffer.hasRemaining() && channel.isActive()) {
                bytesWritten += buffer.remaining();
                channel.write(Unpooled.wrappedBuffer(buffer), channel.voidPromise());
                scheduleFlush();
            }
        }
    }

    /**
     * Calls {@code callback} with {@code true} once every byte written so far reached the socket, or with
     * {@code false} when the connection closed first. Writes complete in order, so an empty write behind
     * them completes after them.
     */
    void whenWritten(Consumer<Boolean> callback) {
        if (!channel.isActive()) {
            callback.accept(false);
            return;
        }
        channel.write(Unpooled.EMPTY_BUFFER).addListener(future -> callback.accept(future.isSuccess()));
        scheduleFlush();
    }

    /** Whether the protocol asked for the TCP connection to be closed. */
    boolean eofWritten() {
        return eof;
    }

    /** The bytes handed to the channel so far. */
    long bytesWritten() {
        return bytesWritten;
    }

    private void writeEof() {
        if (eof) {
            return;
        }
        eof = true;
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) future -> {
            Channel ch = future.channel();
            if (future.isSuccess()
                    && ch instanceof DuplexChannel duplex
                    && ch.pipeline().get(SslHandler.class) == null) {
                duplex.shutdownOutput();
            } else {
                ch.close();
            }
        });
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        channel.flush();
    }
}
