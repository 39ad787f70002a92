package dev.wsflux.samples.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.wsflux.client.WebSocketClient;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class BlockingClientIT {
    @Test
    void asksEachQuestionAndCollectsTheReplies() {
        RunningServer server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(new EchoHandler("re: "))
                .bindNow();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/");
            List<String> replies = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> new BlockingClient(
                            WebSocketClient.create().noProxy())
                    .ask(uri, List.of("one", "two"), Duration.ofSeconds(5)));
            assertEquals(List.of("re: one", "re: two"), replies);
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void stopsAskingWhenAReplyDoesNotComeInTime() {
        RunningServer silent = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(session -> session.receive().then(Mono.<Void>empty()))
                .bindNow();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + silent.port() + "/");
            List<String> replies = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> new BlockingClient(
                            WebSocketClient.create().noProxy())
                    .ask(uri, List.of("anyone?", "hello?"), Duration.ofMillis(200)));
            assertEquals(List.of(), replies);
        } finally {
            silent.shutdownNow();
        }
    }
}
