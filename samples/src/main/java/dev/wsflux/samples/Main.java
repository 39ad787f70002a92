package dev.wsflux.samples;

import java.io.InputStream;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code wsflux-samples.jar} command line: {@code demo}, {@code echo-server}, {@code wsdump},
 * {@code autobahn-client} and {@code chat-server}, as docs/ARCHITECTURE.md §1 lists them. Arguments
 * are parsed by picocli; logging goes through SLF4J's simple binding to standard error.
 *
 * <p>Each run is one {@link CommandLine} over fresh command objects; not meant to be shared between threads.
 */
@Command(
        name = "wsflux-samples",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "wsflux samples: a demo, an echo server, a chat room, the wsdump client and the Autobahn testee.",
        subcommands = {
            DemoCommand.class,
            EchoServerCommand.class,
            WsdumpCommand.class,
            AutobahnClientCommand.class,
            ChatServerCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(System.in, System.out, System.err, args));
    }

    /**
     * Runs the command line with these streams (tests run commands in-process this way).
     *
     * @return the exit status: 0 on success, 1 when the command failed, 2 on a usage error
     */
    public static int run(InputStream in, PrintStream out, PrintStream err, String... args) {
        CommandLine commandLine = new CommandLine(new Main(), new StreamFactory(in, out, err));
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        commandLine.setExecutionExceptionHandler((error, cmd, parsed) -> {
            err.println("error: " + describe(error));
            return 1;
        });
        return commandLine.execute(args);
    }

    /** One line for a failure: its message, or its type when it has none, and its cause's. */
    static String describe(Throwable error) {
        String text = error.getMessage() != null
                ? error.getMessage()
                : error.getClass().getSimpleName();
        Throwable cause = error.getCause();
        if (cause != null && cause != error && cause.getMessage() != null && !text.contains(cause.getMessage())) {
            text += " (" + cause.getMessage() + ")";
        }
        return text;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Hands the run's streams to the commands that take them. */
    private static final class StreamFactory implements CommandLine.IFactory {
        private final InputStream in;
        private final PrintStream out;
        private final PrintStream err;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        StreamFactory(InputStream in, PrintStream out, PrintStream err) {
            this.in = in;
            this.out = out;
            this.err = err;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            K instance = fallback.create(type);
            if (instance instanceof Streams streams) {
                streams.streams(in, out, err);
            }
            return instance;
        }
    }

    /** The library version from the jar manifest, or {@code dev} when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"wsflux-samples " + (version != null ? version : "dev")};
        }
    }

    /** A command that reads and writes the run's streams instead of {@code System.in/out/err}. */
    abstract static class Streams {
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;

        void streams(InputStream in, PrintStream out, PrintStream err) {
            this.in = in;
            this.out = out;
            this.err = err;
        }
    }
}
