package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.http11.Request;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;

class EngineHandlerTest {
    private static final byte[] REQUEST = ("GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<Event> handshakeEvents = new ArrayList<>();

    EngineHandlerTest() {
        SessionEngine engine = new SessionEngine(
                Connection.from(channel), ServerProtocol.builder().build(), SessionOptions.defaults());
        engine.start(new SessionEngine.HandshakeListener() {
            @Override
            public void onHandshakeEvent(Event event) {
                handshakeEvents.add(event);
            }

            @Override
            public void onClosedBeforeOpen(ConnectionClosedException details) {}
        });
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aReadOfOneNioBufferReachesTheProtocolAndIsReleased() {
        ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(REQUEST);

        channel.writeInbound(read);

        assertEquals(0, read.refCnt());
        assertEquals(
                "/chat", assertInstanceOf(Request.class, handshakeEvents.get(0)).path());
    }

    @Test
    void aReadOfSeveralNioBuffersIsCopiedForTheProtocolAndReleased() {
        CompositeByteBuf read = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer();
        int half = REQUEST.length / 2;
        read.addComponent(true, PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(REQUEST, 0, half));
        read.addComponent(
                true, PooledByteBufAllocator.DEFAULT.heapBuffer().writeBytes(REQUEST, half, REQUEST.length - half));

        channel.writeInbound(read);

        assertEquals(0, read.refCnt());
        assertEquals(
                "/chat", assertInstanceOf(Request.class, handshakeEvents.get(0)).path());
    }

    @Test
    void isInstalledBeforeReactorNettysEndHandlers() {
        EmbeddedChannel other = new EmbeddedChannel();
        other.pipeline().addLast("user", new ChannelInboundHandlerAdapter());
        other.pipeline().addLast(NettyPipeline.ReactiveBridge, new ChannelInboundHandlerAdapter());
        other.pipeline().addLast(NettyPipeline.RIGHT + "after", new ChannelInboundHandlerAdapter());

        EngineHandler.install(other, new EngineHandler(null));

        assertEquals(
                List.of("user", EngineHandler.NAME, NettyPipeline.ReactiveBridge, NettyPipeline.RIGHT + "after"),
                other.pipeline().names().subList(0, 4));
        other.finishAndReleaseAll();
    }

    @Test
    void isInstalledLastWithoutReactorNettysEndHandlers() {
        EmbeddedChannel other = new EmbeddedChannel();
        other.pipeline().addLast("user", new ChannelInboundHandlerAdapter());

        EngineHandler.install(other, new EngineHandler(null));

        assertEquals(
                List.of("user", EngineHandler.NAME), other.pipeline().names().subList(0, 2));
        other.finishAndReleaseAll();
    }

    @Test
    void aSecondEngineOnTheSameChannelIsRefused() {
        IllegalStateException refused = assertThrows(
                IllegalStateException.class, () -> EngineHandler.install(channel, new EngineHandler(null)));
        assertTrue(refused.getMessage().startsWith("a WebSocket engine is already installed"), refused.getMessage());
    }
}
