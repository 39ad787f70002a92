package dev.wsflux.client;

import dev.wsflux.core.testing.Await;
import dev.wsflux.core.testing.PeerTools;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real proxy server from Debian, run unprivileged-style on 127.0.0.1 with a generated configuration:
 * {@code tinyproxy} (HTTP CONNECT, optional Basic auth), {@code danted} (SOCKS4/4a/5) and
 * {@code microsocks} (SOCKS5 with user/password). A test that needs one is skipped with a message naming
 * the missing package when its binary is absent.
 */
final class ProxyDaemon implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ProxyDaemon(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** {@code tinyproxy} on a free port; with Basic auth when {@code user} is not null. */
    static ProxyDaemon tinyproxy(Path dir, String user, String password) throws IOException {
        Path binary = require("/usr/bin/tinyproxy", "tinyproxy");
        int port = freePort();
        Path config = dir.resolve("tinyproxy.conf");
        List<String> lines = new ArrayList<>(List.of(
                "Port " + port, "Listen 127.0.0.1", "Timeout 30", "MaxClients 50", "Allow 127.0.0.1", "LogLevel Info"));
        if (user != null) {
            lines.add("BasicAuth " + user + " " + password);
        }
        Files.write(config, lines, StandardCharsets.UTF_8);
        return start(dir, port, binary.toString(), "-d", "-c", config.toString());
    }

    /** {@code danted} on a free port: SOCKS4, 4a and 5 without authentication, to loopback only. */
    static ProxyDaemon danted(Path dir) throws IOException {
        Path binary = require("/usr/sbin/danted", "dante-server");
        int port = freePort();
        Path config = dir.resolve("danted.conf");
        List<String> lines = new ArrayList<>(List.of(
                "logoutput: stderr",
                "internal: 127.0.0.1 port = " + port,
                "external: 127.0.0.1",
                "socksmethod: none",
                "clientmethod: none"));
        if ("root".equals(System.getProperty("user.name"))) {
            lines.addAll(List.of("user.privileged: root", "user.unprivileged: nobody"));
        }
        lines.addAll(List.of(
                "client pass {",
                "  from: 127.0.0.0/8 to: 0.0.0.0/0",
                "}",
                "socks pass {",
                "  from: 127.0.0.0/8 to: 127.0.0.0/8",
                "  protocol: tcp",
                "}"));
        Files.write(config, lines, StandardCharsets.UTF_8);
        return start(dir, port, binary.toString(), "-f", config.toString(), "-N", "1");
    }

    /** {@code microsocks} on a free port: SOCKS5 requiring {@code user}/{@code password}. */
    static ProxyDaemon microsocks(Path dir, String user, String password) throws IOException {
        Path binary = require("/usr/bin/microsocks", "microsocks");
        int port = freePort();
        return start(
                dir,
                port,
                binary.toString(),
                "-i",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-u",
                user,
                "-P",
                password);
    }

    int port() {
        return port;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        // Only the processes this helper started: the daemon and the children it forked.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path require(String binary, String debianPackage) {
        Path path = Path.of(binary);
        PeerTools.requireExecutable(path, debianPackage);
        return path;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static ProxyDaemon start(Path dir, int port, String... command) throws IOException {
        Path log = dir.resolve(Path.of(command[0]).getFileName() + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ProxyDaemon daemon = new ProxyDaemon(process, port, log);
        // Until it accepts connections, or exits.
        try {
            Await.until("a proxy on port " + port, Duration.ofSeconds(5), () -> !process.isAlive() || accepts(port));
            if (process.isAlive()) {
                return daemon;
            }
        } catch (AssertionError notYet) {
            // reported below, with the daemon's log
        }
        String output = daemon.log();
        daemon.close();
        throw new IOException(command[0] + " did not start on port " + port + ":\n" + output);
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
