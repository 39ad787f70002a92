package dev.wsflux.samples.examples;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.ConnectionClosedOkException;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * An echo handler in the shape of Spring WebFlux's {@code WebSocketHandler}: one function from the session
 * to a {@code Mono<Void>} that completes when the conversation is over. Text is answered with a prefix,
 * binary is sent back as it came. Backpressure is end to end: {@code send} requests a message from {@code
 * receive()} only when the outbound buffer has room, so a client that does not read its echoes stops
 * this handler from reading more.
 *
 * <pre>{@code
 * WebSocketServer.create().port(8080).route("/echo", new EchoHandler("echo: ")).bindNow();
 * }</pre>
 *
 * <p>Stateless; one instance serves every session, on their event loops.
 */
public final class EchoHandler implements Function<WebSocketSession, Mono<Void>> {
    private final String prefix;

    /** An echo that puts {@code prefix} before every text message. */
    public EchoHandler(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Mono<Void> apply(WebSocketSession session) {
        return session.send(session.receive().map(this::reply))
                // The peer closing cleanly while the last echo is written is the normal end, not an error.
                .onErrorResume(ConnectionClosedOkException.class, closed -> Mono.empty());
    }

    private Message reply(Message message) {
        return message.isText() ? Message.text(prefix + message.text()) : message;
    }
}
