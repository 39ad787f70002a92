package dev.wsflux.server;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.core.internal.Engines;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.extensions.ClientExtensionFactory;
import dev.wsflux.protocol.http11.WebSocketUri;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import reactor.netty.tcp.TcpClient;

/** The engine's own client path over Reactor Netty's {@code TcpClient}, for the server's tests. */
final class TestClient {
    static final Duration WAIT = Duration.ofSeconds(10);

    private TestClient() {}

    static WebSocketSession connect(RunningServer server, String path) {
        return connect(server.address(), path, false, List.of());
    }

    static WebSocketSession connect(
            SocketAddress address, String path, boolean tls, List<ClientExtensionFactory> extensions) {
        TcpClient client = TcpClient.newConnection().remoteAddress(() -> address);
        if (tls) {
            client = client.secure(spec -> {
                try {
                    spec.sslContext(SslContextBuilder.forClient()
                            .trustManager(InsecureTrustManagerFactory.INSTANCE)
                            .build());
                } catch (javax.net.ssl.SSLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        String authority =
                address instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort() : "localhost";
        WebSocketUri uri = WebSocketUri.parse((tls ? "wss://" : "ws://") + authority + path);
        WebSocketSession session = client.connect()
                .flatMap(connection -> {
                    ClientProtocol protocol = ClientProtocol.builder(uri)
                            .extensions(extensions)
                            .deferClose(true)
                            .build();
                    return Engines.connectClient(connection, protocol, protocol.connect(), SessionOptions.defaults());
                })
                .block(WAIT);
        if (session == null) {
            throw new IllegalStateException("no session");
        }
        return session;
    }
}
