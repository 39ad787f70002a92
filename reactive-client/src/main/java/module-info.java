/** wsflux's client: {@code WebSocketClient}, proxies, TLS, reconnect, the blocking and listener APIs. */
module dev.wsflux.client {
    requires transitive dev.wsflux.core;
    requires reactor.netty.core;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.handler.proxy;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;

    exports dev.wsflux.client;
}
