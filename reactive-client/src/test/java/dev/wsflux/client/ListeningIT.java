package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.WebSocketServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The listener-style API of {@link WebSocketClient#listen} against our own server. */
class ListeningIT {
    private static final WebSocketClient CLIENT = WebSocketClient.create().noProxy();

    private RunningServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    /** Records each callback as a line; tests wait for lines with a bounded poll. */
    private static final class RecordingListener implements WebSocketListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WebSocketSession session) {
            events.add("open");
        }

        @Override
        public void onReconnect(WebSocketSession session) {
            events.add("reconnect");
        }

        @Override
        public void onMessage(WebSocketSession session, Message message) {
            events.add("message " + message.text());
        }

        @Override
        public void onClose(WebSocketSession session, int code, String reason) {
            events.add("close " + code + " " + reason);
        }

        @Override
        public void onError(Throwable error) {
            events.add("error " + error.getClass().getSimpleName());
        }

        List<String> take(int count) throws InterruptedException {
            List<String> taken = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String event = events.poll(10, TimeUnit.SECONDS);
                taken.add(event == null ? "(nothing within 10 s)" : event);
            }
            return taken;
        }
    }

    @Test
    void reportsOpenMessagesCloseAndReconnects() throws Exception {
        server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(session -> session.send(Message.text("hi")).then(session.close(1001, "restart")))
                .bindNow();
        RecordingListener listener = new RecordingListener();
        try (Listening listening = CLIENT.listen(URI.create("ws://127.0.0.1:" + server.port() + "/"), listener, true)) {
            assertEquals(
                    List.of(
                            "open",
                            "message hi",
                            "close 1001 restart",
                            "reconnect",
                            "message hi",
                            "close 1001 restart"),
                    listener.take(6));
            assertTrue(listening.session() != null);
        }
    }

    @Test
    void sendsOnTheCurrentConnectionAndStops() throws Exception {
        server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(session -> session.send(session.receive()))
                .bindNow();
        RecordingListener listener = new RecordingListener();
        Listening listening = CLIENT.listen(URI.create("ws://127.0.0.1:" + server.port() + "/"), listener, false);
        assertEquals(List.of("open"), listener.take(1));
        listening.send("ping?");
        assertEquals(List.of("message ping?"), listener.take(1));
        listening.close();
        assertTrue(listening.await(Duration.ofSeconds(10)));
        assertEquals(
                1000,
                listening.session().closeStatus().block(Duration.ofSeconds(10)).code());
    }

    @Test
    void reportsAFailureThatIsNotRetried() throws Exception {
        server = WebSocketServer.create()
                .host("127.0.0.1")
                .port(0)
                .processRequest(request -> Mono.just(request.respond(403, "no")))
                .handle(session -> Mono.empty())
                .bindNow();
        RecordingListener listener = new RecordingListener();
        Listening listening = CLIENT.listen(URI.create("ws://127.0.0.1:" + server.port() + "/"), listener, true);
        assertEquals(List.of("error " + InvalidStatusException.class.getSimpleName()), listener.take(1));
        assertTrue(listening.await(Duration.ofSeconds(10)));
    }
}
