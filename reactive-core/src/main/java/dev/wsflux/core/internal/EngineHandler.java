package dev.wsflux.core.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import reactor.netty.NettyPipeline;

/**
 * The engine's handler in the connection's pipeline: hands every inbound {@code ByteBuf} to the protocol
 * as a {@code ByteBuffer} (a view of it, or a heap copy when it is made of several NIO buffers) and
 * releases it right here once the protocol has consumed it, so that no reference-counted buffer outlives
 * this method and nothing reaches Reactor Netty's {@code FluxReceive} (which would otherwise toggle
 * auto-read too). Reports inactivity, writability changes and errors to the engine. Runs on the
 * channel's event loop, as every handler does.
 */
final class EngineHandler extends ChannelDuplexHandler {
    /** The handler's name in the pipeline. */
    static final String NAME = "wsflux.engine";

    private final SessionEngine engine;

    EngineHandler(SessionEngine engine) {
        this.engine = engine;
    }

    /**
     * Adds {@code handler} to {@code channel}'s pipeline where Reactor Netty's {@code addHandlerLast} would:
     * before the first of its end handlers (names starting {@code "reactor.right."}, the reactive bridge
     * among them), or last when there is none. Straight on the pipeline rather than through {@code
     * Connection.addHandlerLast}, which on a persistent connection also subscribes to {@code onTerminate()}
     * to remove the handler again: a {@code Mono.or} race, two inner subscribers and a lambda subscriber,
     * about 300 bytes with their lambdas, kept for the connection's life to undo what the channel's own close
     * does anyway (Netty removes every handler when the channel is deregistered).
     */
    static void install(Channel channel, EngineHandler handler) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NAME) != null) {
            throw new IllegalStateException("a WebSocket engine is already installed on " + channel);
        }
        for (String name : pipeline.names()) {
            if (name.startsWith(NettyPipeline.RIGHT)) {
                pipeline.addBefore(name, NAME, handler);
                return;
            }
        }
        pipeline.addLast(NAME, handler);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            // Only bytes travel on a raw TCP connection; anything else is not ours to forward.
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            engine.onData(view(buf));
        } catch (Throwable error) {
            engine.onInternalError(error);
        } finally {
            buf.release();
        }
    }

    /**
     * The readable bytes of {@code buf} as one {@code ByteBuffer}: a view when {@code buf} is one NIO
     * buffer (the usual case for a socket read), otherwise a heap copy. The view is valid only until
     * {@code buf} is released, which is fine because the protocol keeps no reference to its input once
     * {@code receiveData} returns: frame payloads, handshake lines and early data are all copied.
     */
    private static ByteBuffer view(ByteBuf buf) {
        if (buf.nioBufferCount() == 1) {
            return buf.nioBuffer();
        }
        ByteBuffer data = ByteBuffer.allocate(buf.readableBytes());
        buf.readBytes(data);
        return data.flip();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Swallowed with the reads it completes: Reactor Netty's bridge has nothing to do with them.
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // The session's end runs users' callbacks (receive() completing, closeDetails() subscribers): an
        // error there must not reach Netty's pipeline.
        engine.runGuarded(engine::onInactive);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        try {
            engine.onWritabilityChanged();
        } catch (Throwable error) {
            engine.onInternalError(error);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Not propagated: the engine logs it once and closes; the tail would log it again as a warning.
        engine.runGuarded(() -> engine.onTransportError(cause));
    }
}
