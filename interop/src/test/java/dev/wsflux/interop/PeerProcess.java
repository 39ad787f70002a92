package dev.wsflux.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A peer's child process: starts it, collects its stdout lines (the peers report {@code key=value} lines) and its
 * stderr, waits for lines or exit with a bound, and kills the process and its descendants on {@link #close()}.
 * Thread-safe: the reader threads and the test thread share the line list under its monitor.
 */
final class PeerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread outReader;
    private final Thread errReader;

    private PeerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.outReader = drain(process.getInputStream(), name + "-stdout", this::addLine);
        this.errReader = drain(process.getErrorStream(), name + "-stderr", line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
            }
        });
    }

    /** Starts {@code command} in {@code directory} with {@code environment} added to ours. */
    static PeerProcess start(String name, List<String> command, Path directory, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().putAll(environment);
        try {
            return new PeerProcess(name, builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + command, e);
        }
    }

    private static Thread drain(InputStream in, String threadName, java.util.function.Consumer<String> sink) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            sink.accept(line);
                        }
                    } catch (IOException e) {
                        // the process was killed: nothing more to read
                    }
                },
                threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void addLine(String line) {
        synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
        }
    }

    /** Waits at most {@code timeout} for a stdout line starting with {@code prefix}; returns the rest of it. */
    String awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (line.startsWith(prefix)) {
                        return line.substring(prefix.length());
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !outReader.isAlive())) {
                    return fail(
                            name + ": no line starting with \"" + prefix + "\" within " + timeout + "; " + describe());
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return fail("interrupted", e);
                }
            }
        }
    }

    /** Waits at most {@code timeout} for the process to exit; fails the test if it does not or exits non-zero. */
    void awaitSuccess(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(name + ": still running after " + timeout + "; " + describe());
            }
            outReader.join(5_000);
            errReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted", e);
        }
        if (process.exitValue() != 0) {
            fail(name + ": exited with " + process.exitValue() + "; " + describe());
        }
    }

    /** The {@code key=value} lines of stdout, the first value of each key. */
    Map<String, String> results() {
        Map<String, String> results = new LinkedHashMap<>();
        synchronized (lines) {
            for (String line : lines) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    results.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return results;
    }

    /** Stdout and stderr so far, for failure messages. */
    String describe() {
        String out;
        synchronized (lines) {
            out = String.join("\n", lines);
        }
        String err;
        synchronized (stderr) {
            err = stderr.toString();
        }
        return "stdout:\n" + out + "\nstderr:\n" + err;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
