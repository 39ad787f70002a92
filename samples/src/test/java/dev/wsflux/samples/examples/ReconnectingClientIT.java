package dev.wsflux.samples.examples;

import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ReconnectingClientIT {
    @Test
    void reconnectsAfterEachCloseAndKeepsTheMessagesComing() {
        AtomicInteger sessions = new AtomicInteger();
        // Each session answers the client's hello with its number, then the handler completes: close 1000.
        RunningServer server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(session -> session.receive()
                        .next()
                        .then(session.send(Message.text("session " + sessions.incrementAndGet()))))
                .bindNow();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
            StepVerifier.create(new ReconnectingClient(WebSocketClient.create().noProxy())
                            .messages(uri)
                            .take(3))
                    .expectNext("session 1", "session 2", "session 3")
                    .expectComplete()
                    .verify(Duration.ofSeconds(30));
        } finally {
            server.shutdownNow();
        }
    }
}
