package dev.wsflux.interop;

import dev.wsflux.core.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx (Debian {@code nginx-light}) as a WebSocket reverse proxy in front of our server, our client through it.
 * nginx runs unprivileged in the foreground as the test's own process, with its configuration, pid file, logs and
 * temporary paths in the test's directory. Neither side sends fragments, so that feature is not exercised here.
 */
class NginxIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void ourClientTalksToOurServerThroughNginx(@TempDir Path dir) throws IOException {
        Peers.assumeExecutable(Peers.NGINX, "nginx-light");
        try (OurServer server = OurServer.start()) {
            int port = freePort();
            Path conf = dir.resolve("nginx.conf");
            Files.writeString(conf, config(dir, port, server.port()));
            try (PeerProcess nginx = PeerProcess.start(
                    "nginx",
                    List.of(
                            Peers.NGINX.toString(),
                            "-p",
                            dir.toString(),
                            "-c",
                            conf.toString(),
                            "-e",
                            dir.resolve("error.log").toString(),
                            "-g",
                            "daemon off;"),
                    dir,
                    Map.of())) {
                awaitListening(port, nginx, dir);
                OurClientMatrix.run(
                        "nginx proxy",
                        port,
                        new OurClientMatrix.ServerSide() {
                            @Override
                            public String opened(String conn) {
                                OurServer.RecordedSession session = server.session(conn);
                                return session.subprotocol + "|" + String.join(", ", session.extensions);
                            }

                            @Override
                            public String closed(String conn) {
                                var status = server.session(conn).closeStatus();
                                return status.code() + ":" + status.reason();
                            }
                        },
                        new OurClientMatrix.Capabilities(false, true, false));
            }
        }
    }

    /** A minimal reverse-proxy configuration that passes the WebSocket upgrade through (HTTP/1.1, hop headers). */
    private static String config(Path dir, int port, int upstreamPort) {
        return """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 64; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            proxy_pass http://127.0.0.1:%3$d;
                            proxy_http_version 1.1;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection "upgrade";
                            proxy_set_header Host $host;
                            proxy_buffering off;
                            proxy_read_timeout 60s;
                        }
                    }
                }
                """.formatted(dir, port, upstreamPort);
    }

    /** A port that was free a moment ago (nginx cannot be told to pick one and report it). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port, PeerProcess nginx, Path dir) throws IOException {
        try {
            Await.until("nginx listening on 127.0.0.1:" + port, WAIT, () -> accepts(port));
        } catch (AssertionError notListening) {
            Path log = dir.resolve("error.log");
            throw new AssertionError(notListening.getMessage() + "; " + nginx.describe() + "\nerror.log:\n"
                    + (Files.exists(log) ? Files.readString(log) : "(none)"));
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
