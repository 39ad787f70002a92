package dev.wsflux.samples;

import dev.wsflux.server.RunningServer;
import dev.wsflux.server.SlowConsumerPolicy;
import dev.wsflux.server.WebSocketServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chat-server}: a {@link ChatRoom} on every path. Connect with
 * {@code wsdump ws://127.0.0.1:P/?name=ada}. Prints {@code listening on ws://H:P}; stops cleanly on
 * SIGTERM or SIGINT (members are closed with 1001). Not thread-safe; one instance per run.
 */
@Command(
        name = "chat-server",
        mixinStandardHelpOptions = true,
        description = {
            "A broadcast chat room: connect to ws://HOST:PORT/?name=YOU; every line goes to every member.",
            "Members that cannot keep up are handled by --slow-consumer."
        })
final class ChatServerCommand extends Main.Streams implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(
            names = "--port",
            defaultValue = "8765",
            description = "port to bind, 0 for any free port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--slow-consumer",
            defaultValue = "SKIP",
            description = "what a broadcast does to a member whose outbound buffer is full: ${COMPLETION-CANDIDATES}"
                    + " (default: ${DEFAULT-VALUE})")
    SlowConsumerPolicy slowConsumer;

    /** Binds the room's server. */
    RunningServer start() {
        ChatRoom room = new ChatRoom(slowConsumer);
        RunningServer running = WebSocketServer.create()
                .host(host)
                .port(port)
                .handle(room::join)
                .bindNow();
        room.attach(running);
        return running;
    }

    @Override
    public Integer call() throws InterruptedException {
        RunningServer running = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            running.shutdownNow();
                            stopped.countDown();
                        },
                        "chat-server-shutdown"));
        out.println("listening on ws://" + EchoServerCommand.authority(host, running.port()));
        out.flush();
        stopped.await();
        return 0;
    }
}
