package dev.wsflux.core.internal;

import dev.wsflux.protocol.Protocol;
import io.netty.buffer.ByteBuf;
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
 * synchronous publisher) leaves in one syscall.
 *
 * <p>Small buffers (frames of short messages) are copied into one pending direct buffer, so that a burst of
 * them is one {@code channel.write}: one outbound-buffer entry, and no per-frame copy by Netty from heap to
 * direct memory. The pending buffer is handed to the channel when it fills up, before any larger buffer
 * (which is wrapped, not copied: the protocol hands over ownership of what {@code dataToSend()} returns),
 * and before a flush, a {@link #whenWritten} marker or the EOF, so bytes keep their order and the channel's
 * write limit sees them within the task. It is released if the channel is inactive and by {@link #close()}.
 *
 * <p>{@link Protocol#EOF} half-closes the TCP connection once the bytes before it are written: the
 * server closes TCP first (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-7.1.1">RFC 6455
 * §7.1.1</a>) and waits for the client's EOF, bounded by {@code closeTimeout}. Over TLS, or on transports
 * without half-close, the channel is closed instead.
 */
final class OutboundWriter implements Runnable {

    /** Hears when the bytes buffered for the socket change. Called on the event loop. */
    interface Owner {
        /** A batch was flushed, or bytes were confirmed written: {@link #bufferedBytes()} changed. */
        void flushed();
    }

    /**
     * The largest buffer copied into the pending buffer: 4 KiB. Above it, copying costs more than the
     * outbound-buffer entry it saves, so the buffer is wrapped as it is.
     */
    static final int MAX_COPIED = 4096; // 4 KiB

    /**
     * The capacity of the pending buffer: 16 KiB. It is written once less than {@link #MAX_COPIED} bytes
     * are left in it, so a batch holds 12 to 16 KiB: a few TCP segments, and well under the default write
     * limit (see {@code SessionOptions.writeLimitHigh}).
     */
    static final int BATCH_CAPACITY = 16384; // 16 KiB

    /**
     * The size of the pooled direct buffers a large heap buffer is copied into: 16 KiB. Netty's adaptive
     * allocator serves up to 256 outstanding 16 KiB buffers from shared chunks (0.35 to 0.6 µs each),
     * whereas each 64 KiB buffer (a 1 MiB message holds 16 or more in flight) takes a freshly allocated,
     * zeroed chunk (3.9 µs each with 64 outstanding): with 16 KiB chunks a 1 MiB echo costs the server
     * about 9 % less CPU.
     */
    static final int CHUNK = 16384;

    /** The smallest capacity a pending buffer starts with. */
    static final int MIN_BATCH = 256;

    private final Channel channel;
    private final Owner owner;
    private boolean flushScheduled;
    private boolean eof;
    private long bytesWritten;
    /** The bytes known to have reached the socket: updated once per flush batch, not per message. */
    private long bytesConfirmed;
    /** Copied small buffers not yet handed to the channel; {@code null} when there are none. */
    private ByteBuf pending;
    /** The size of the last batch handed to the channel, to size the next one. */
    private int lastBatch;

    OutboundWriter(Channel channel, Owner owner) {
        this.channel = channel;
        this.owner = owner;
    }

    /** Writes {@code data} in order and schedules a flush; stops at {@link Protocol#EOF}. */
    void write(List<ByteBuffer> data) {
        for (int i = 0, n = data.size(); i < n; i++) {
            ByteBuffer buffer = data.get(i);
            if (buffer == Protocol.EOF) {
                writeEof();
            } else if (!eof && buffer.hasRemaining() && channel.isActive()) {
                bytesWritten += buffer.remaining();
                if (buffer.remaining() <= MAX_COPIED) {
                    copy(buffer);
                } else if (buffer.isDirect()) {
                    writePending();
                    channel.write(Unpooled.wrappedBuffer(buffer), channel.voidPromise());
                } else {
                    writePending();
                    writeChunks(buffer);
                }
                scheduleFlush();
            }
        }
    }

    /**
     * Copies a large heap buffer into pooled direct buffers of at most {@link #CHUNK} bytes. Handing the
     * heap buffer to the channel would have the transport copy it into a direct buffer of its whole size,
     * which the pooled allocator does not pool above its largest size class: each large message would cost
     * an unpooled direct allocation, with its Cleaner.
     */
    private void writeChunks(ByteBuffer buffer) {
        ByteBuffer rest = buffer.duplicate();
        while (rest.hasRemaining()) {
            int n = Math.min(CHUNK, rest.remaining());
            ByteBuf chunk = channel.alloc().directBuffer(n, n);
            int limit = rest.limit();
            rest.limit(rest.position() + n);
            chunk.writeBytes(rest);
            rest.limit(limit);
            channel.write(chunk, channel.voidPromise());
        }
    }

    /** Copies {@code buffer} into the pending buffer; writes the pending buffer once it is nearly full. */
    private void copy(ByteBuffer buffer) {
        ByteBuf batch = pending;
        if (batch == null) {
            batch = channel.alloc().directBuffer(initialCapacity(buffer.remaining()), BATCH_CAPACITY);
            pending = batch;
        }
        // Room for MAX_COPIED bytes is always left: a fuller buffer was written below. The buffer grows
        // up to BATCH_CAPACITY as needed.
        batch.writeBytes(buffer);
        if (batch.maxWritableBytes() < MAX_COPIED) {
            writePending();
        }
    }

    /**
     * The capacity a new pending buffer starts with: the power of two that holds both {@code first} and the
     * previous batch, at least {@link #MIN_BATCH}. A full {@link #BATCH_CAPACITY} buffer for every short
     * reply would make the allocator carve (and zero) fresh 16 KiB chunks whenever hundreds of connections
     * each have a batch in flight in one event-loop turn: about 6 % of a server's CPU with 1,000 connections
     * of short messages.
     */
    private int initialCapacity(int first) {
        int wanted = Math.max(Math.max(first, lastBatch), MIN_BATCH);
        return Math.min(BATCH_CAPACITY, Integer.highestOneBit(wanted - 1) << 1);
    }

    /** Hands the pending buffer to the channel, or releases it when the channel is no longer active. */
    private void writePending() {
        ByteBuf batch = takePending();
        if (batch == null) {
            return;
        }
        if (channel.isActive()) {
            channel.write(batch, channel.voidPromise());
        } else {
            batch.release();
        }
    }

    /** Takes the pending buffer (or {@code null}), remembering its size for the next one. */
    private ByteBuf takePending() {
        ByteBuf batch = pending;
        if (batch != null) {
            pending = null;
            lastBatch = batch.readableBytes();
        }
        return batch;
    }

    /**
     * Releases the bytes not yet handed to the channel: called once the connection is closed, when they can
     * no longer be sent. They count as written but never confirmed, as any write the channel dropped.
     */
    void close() {
        ByteBuf batch = pending;
        if (batch != null) {
            pending = null;
            batch.release();
        }
    }

    /**
     * Calls {@code callback} with {@code true} once every byte written so far reached the socket, or with
     * {@code false} when the connection closed first. Writes complete in order, so an empty write behind
     * them completes after them.
     */
    void whenWritten(Consumer<Boolean> callback) {
        writePending();
        if (!channel.isActive()) {
            // Everything handed over before the connection closed may still have reached the socket.
            callback.accept(bytesConfirmed == bytesWritten);
            return;
        }
        channel.write(Unpooled.EMPTY_BUFFER).addListener(future -> callback.accept(future.isSuccess()));
        scheduleFlush();
    }

    /** Whether the protocol asked for the TCP connection to be closed. */
    boolean eofWritten() {
        return eof;
    }

    /** The bytes written and not yet known to have reached the socket (batched, copied or handed over). */
    long bufferedBytes() {
        return bytesWritten - bytesConfirmed;
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
        writePending();
        if (!channel.isActive()) {
            return;
        }
        long target = bytesWritten;
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) future -> {
            if (future.isSuccess() && target > bytesConfirmed) {
                bytesConfirmed = target;
            }
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
            channel.eventLoop().execute(this); // run(): the scheduled flush
        }
    }

    /** The flush scheduled for the end of the event loop's turn (the writer is its own task: no extra object). */
    @Override
    public void run() {
        flushNow();
    }

    private void flushNow() {
        flushScheduled = false;
        long target = bytesWritten;
        if (target != bytesConfirmed && channel.isActive()) {
            // One listener per batch: writes complete in order, so the batch's last write completes once
            // all of it reached the socket. It rides on the pending buffer when there is one, so that a
            // batch stays one outbound entry (one send, not a gathering write with an empty marker).
            ChannelFutureListener confirm = future -> {
                if (future.isSuccess() && target > bytesConfirmed) {
                    bytesConfirmed = target;
                    owner.flushed();
                }
            };
            ByteBuf batch = takePending();
            channel.write(batch != null ? batch : Unpooled.EMPTY_BUFFER).addListener(confirm);
        } else {
            writePending();
        }
        channel.flush();
        owner.flushed();
    }
}
