package dev.wsflux.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;

/**
 * The engine's handler in the connection's pipeline: copies every inbound {@code ByteBuf} into a heap
 * {@code ByteBuffer} for the protocol and releases it right here, so that no reference-counted buffer
 * outlives this method and nothing reaches Reactor Netty's {@code FluxReceive} (which would otherwise
 * toggle auto-read too). Reports inactivity, writability changes and errors to the engine. Runs on the
 * channel's event loop, as every handler does.
 */
final class EngineHandler extends ChannelDuplexHandler {
    /** The handler's name in the pipeline. */
    static final String NAME = "wsflux.engine";

    private final SessionEngine engine;

    EngineHandler(SessionEngine engine) {
        this.engine = engine;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            // Only bytes travel on a raw TCP connection; anything else is not ours to forward.
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuffer data;
        try {
            data = ByteBuffer.allocate(buf.readableBytes());
            buf.readBytes(data);
            data.flip();
        } finally {
            buf.release();
        }
        engine.onData(data);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Swallowed with the reads it completes: Reactor Netty's bridge has nothing to do with them.
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        engine.onInactive();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        engine.onWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Not propagated: the engine logs it once and closes; the tail would log it again as a warning.
        engine.onTransportError(cause);
    }
}
