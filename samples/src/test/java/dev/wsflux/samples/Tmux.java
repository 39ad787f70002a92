package dev.wsflux.samples;

import dev.wsflux.core.testing.PeerTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One command in a pseudo-terminal, driven as a person would: a private {@code tmux} server (its own socket,
 * no user configuration) runs the command in a window of fixed size; {@link #type} and {@link #keys} send
 * keystrokes, {@link #awaitScreen} waits for what the screen shows and {@link #awaitExit} for the exit status.
 * The pane stays after the command exits, for its last screen. Closing kills this tmux server only, and
 * removes its files.
 */
final class Tmux implements AutoCloseable {
    static final Path TMUX = Path.of("/usr/bin/tmux");
    private static final AtomicInteger SERVERS = new AtomicInteger();
    private static final String SESSION = "test";

    /**
     * Runs {@code "$@"} and writes its exit status to the file {@code $1} (atomically, through a rename). The
     * status is not read from tmux: a tmux server started from a JVM, as here, does not always reap the pane's
     * process (tmux 3.3a on Linux: it stays a zombie and the pane never reports a status), while sh reliably
     * waits for its child. The trap keeps sh from dying of Ctrl-C before its child: it runs once the child has
     * ended, and the child starts with SIGINT's default action (exec resets caught signals).
     */
    private static final String WRAPPER =
            "status=$1; shift; trap : INT; \"$@\"; echo $? > \"$status.tmp\";" + " mv \"$status.tmp\" \"$status\"";

    private final String socket;
    private final Path directory;
    private final Path status;
    private Path socketPath;

    private Tmux(String socket, Path directory) {
        this.socket = socket;
        this.directory = directory;
        this.status = directory.resolve("status");
    }

    /**
     * Starts {@code command} in a {@code columns} × {@code rows} terminal. Requires tmux: skipped without it,
     * and a failure with {@code CI=true}.
     */
    static Tmux start(int columns, int rows, List<String> command) throws IOException, InterruptedException {
        PeerTools.requireExecutable(TMUX, "tmux");
        String socket = "wsflux-" + ProcessHandle.current().pid() + "-" + SERVERS.incrementAndGet();
        Tmux tmux = new Tmux(socket, Files.createTempDirectory("tmux"));
        // The pane stays once the command exits, so that its last screen can be read.
        Files.writeString(tmux.config(), "set -g remain-on-exit on\n");
        List<String> args = new ArrayList<>(
                List.of("new-session", "-d", "-s", SESSION, "-x", String.valueOf(columns), "-y", String.valueOf(rows)));
        args.addAll(List.of("sh", "-c", WRAPPER, "sh", tmux.status.toString()));
        args.addAll(command);
        tmux.run(args);
        tmux.socketPath = Path.of(
                tmux.run(List.of("display-message", "-p", "#{socket_path}")).strip());
        return tmux;
    }

    private Path config() {
        return directory.resolve("tmux.conf");
    }

    /** Types {@code text} literally, as keystrokes. */
    void type(String text) throws IOException, InterruptedException {
        run(List.of("send-keys", "-t", SESSION, "-l", text));
    }

    /** Sends keys by their tmux names: {@code Enter}, {@code C-c}, {@code C-d}. */
    void keys(String... names) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        args.addAll(List.of(names));
        run(args);
    }

    /**
     * The lines shown so far, the ones scrolled off the top included, without trailing spaces, without the blank
     * lines at the bottom, and without tmux's {@code Pane is dead} notice.
     */
    List<String> screen() throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>(run(List.of("capture-pane", "-p", "-S", "-", "-t", SESSION))
                .lines()
                .map(String::stripTrailing)
                .filter(line -> !line.startsWith("Pane is dead"))
                .toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** Waits until the screen matches {@code condition}; fails with the last screen after {@code timeout}. */
    List<String> awaitScreen(String what, Duration timeout, Predicate<List<String>> condition)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> screen = screen();
        while (!condition.test(screen)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what + "; the screen:\n"
                        + String.join("\n", screen));
            }
            Thread.sleep(50); // polling interval, not synchronisation: the loop waits for the screen
            screen = screen();
        }
        return screen;
    }

    /** Waits until the command has exited and returns its exit status; fails after {@code timeout}. */
    int awaitExit(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(status)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        "the command did not exit within " + timeout + "; the screen:\n" + String.join("\n", screen()));
            }
            Thread.sleep(50); // polling interval, as above
        }
        return Integer.parseInt(Files.readString(status).strip());
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TMUX.toString(), "-L", socket, "-f", config().toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("tmux " + args + " did not return within 30 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("tmux " + args + " failed (" + process.exitValue() + "): " + output);
        }
        return output;
    }

    /** Kills this tmux server and what runs in it. */
    @Override
    public void close() throws IOException {
        try {
            run(List.of("kill-server"));
        } catch (IllegalStateException alreadyGone) {
            // the server ends by itself once its last session is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (socketPath != null) {
                Files.deleteIfExists(socketPath); // tmux 3.3a leaves it behind after kill-server
            }
            for (Path file : List.of(status, directory.resolve("status.tmp"), config(), directory)) {
                Files.deleteIfExists(file);
            }
        }
    }
}
