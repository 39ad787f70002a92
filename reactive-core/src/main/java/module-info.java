/**
 * wsflux's core: the Sans-I/O protocol ({@code dev.wsflux.protocol} and its sub-packages), the reactive
 * session API ({@code dev.wsflux.core}) and its testing support ({@code dev.wsflux.test}). The protocol's
 * parsers and serializers ({@code dev.wsflux.protocol.codec}) are not exported; the session engine
 * ({@code dev.wsflux.core.internal}) is exported only to wsflux's client and server modules.
 */
module dev.wsflux.core {
    requires transitive org.reactivestreams;
    requires transitive reactor.core;
    requires reactor.netty.core;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;

    exports dev.wsflux.protocol;
    exports dev.wsflux.protocol.frames;
    exports dev.wsflux.protocol.http11;
    exports dev.wsflux.protocol.extensions;
    exports dev.wsflux.protocol.extensions.permessagedeflate;
    exports dev.wsflux.core;
    exports dev.wsflux.test;
    exports dev.wsflux.core.internal to
            dev.wsflux.client,
            dev.wsflux.server;
}
