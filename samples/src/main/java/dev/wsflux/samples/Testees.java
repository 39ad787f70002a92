package dev.wsflux.samples;

import dev.wsflux.server.WebSocketServer;
import picocli.CommandLine;

/**
 * The samples' conformance testees, built from the same command-line arguments as the CLI, so that test
 * suites (such as the project's Autobahn-grade conformance suite) exercise exactly what users run.
 */
public final class Testees {
    private Testees() {}

    /**
     * The {@code echo-server} the arguments describe, not yet bound: for example
     * {@code echoServer("--host", "127.0.0.1", "--port", "0", "--max-size", "16777216")}.
     *
     * @throws picocli.CommandLine.ParameterException for arguments {@code echo-server} does not accept
     */
    public static WebSocketServer echoServer(String... args) {
        EchoServerCommand command = new EchoServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.server();
    }
}
