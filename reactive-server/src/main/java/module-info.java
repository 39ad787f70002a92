/** wsflux's server: {@code WebSocketServer}, routes, hooks, broadcast and shutdown. */
module dev.wsflux.server {
    requires transitive dev.wsflux.core;
    requires reactor.netty.core;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires io.netty.transport.unix.common;

    exports dev.wsflux.server;
}
