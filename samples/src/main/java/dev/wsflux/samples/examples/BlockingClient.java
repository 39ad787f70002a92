package dev.wsflux.samples.examples;

import dev.wsflux.client.BlockingWebSocket;
import dev.wsflux.client.WebSocketClient;
import dev.wsflux.core.Message;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A client without Reactor: {@link BlockingWebSocket} sends and waits, like Python {@code websockets}'
 * sync client. Fine on a platform or a virtual thread; never on a Reactor event loop.
 *
 * <pre>{@code
 * List<String> replies = new BlockingClient(WebSocketClient.create()).ask(uri, List.of("a", "b"), Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Thread-safe: each call opens its own connection.
 */
public final class BlockingClient {
    private final WebSocketClient client;

    /** Connects with {@code client}'s options. */
    public BlockingClient(WebSocketClient client) {
        this.client = client;
    }

    /**
     * Sends each question as a text message and waits up to {@code timeout} for each reply; closes with
     * 1000 when done. A reply that does not come in time ends the conversation early.
     *
     * @return the replies received, in order
     */
    public List<String> ask(URI uri, List<String> questions, Duration timeout) {
        List<String> replies = new ArrayList<>();
        try (BlockingWebSocket ws = BlockingWebSocket.connect(uri, client)) {
            for (String question : questions) {
                ws.send(question);
                Optional<Message> reply = ws.recv(timeout);
                if (reply.isEmpty()) {
                    break;
                }
                replies.add(reply.get().isText() ? reply.get().text() : "<binary>");
            }
        }
        return replies;
    }
}
