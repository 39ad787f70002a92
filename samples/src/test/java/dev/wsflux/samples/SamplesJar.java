package dev.wsflux.samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shaded {@code wsflux-samples.jar} run as {@code java -jar} in a child process, as a user runs it.
 * Integration tests run after {@code package}, so the jar is there.
 */
final class SamplesJar implements AutoCloseable {
    static final Path JAR = Path.of("target", "wsflux-samples.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on wss?://[^:]+:(\\d+)");

    private final Process process;
    private final BufferedReader stdout;

    private SamplesJar(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code java -jar wsflux-samples.jar args…} with standard error inherited (it is the log). */
    static SamplesJar start(String... args) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("run the integration tests after package: no " + JAR.toAbsolutePath());
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        return new SamplesJar(new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
    }

    /** Waits (at most 30 s) for the {@code listening on …} line and returns its port. */
    int awaitPort() throws Exception {
        String line = CompletableFuture.supplyAsync(this::readLine).get(30, TimeUnit.SECONDS);
        Matcher matcher = LISTENING.matcher(line == null ? "" : line);
        if (!matcher.find()) {
            throw new IllegalStateException("expected \"listening on ws://H:P\", got: " + line);
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** The next line of standard output, or {@code null} at its end. */
    String readLine() {
        try {
            return stdout.readLine();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the child's output", e);
        }
    }

    /** Sends SIGTERM and waits (at most 20 s) for the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the process did not stop within 20 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** Whether the process is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
