package dev.wsflux.samples;

import dev.wsflux.core.Message;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.server.RunningServer;
import dev.wsflux.server.SlowConsumerPolicy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A broadcast chat room: every text message a member sends goes to every member as {@code name: text},
 * and joins and leaves are announced as {@code * name joined} and {@code * name left}. A member's name is
 * the {@code name} query parameter of its URI ({@code ws://host:port/?name=ada}), else its session id.
 *
 * <p>Fan-out uses {@link RunningServer#broadcast(Message, java.util.Collection, SlowConsumerPolicy)}:
 * the message is queued for each member without waiting, and a member whose outbound buffer is already
 * full (a slow consumer) is handled by the room's policy, so one slow reader never makes the room buffer
 * without bound. Binary messages are not relayed.
 *
 * <p>Thread-safe: members join and leave on their own event loops.
 */
final class ChatRoom {
    private final Set<WebSocketSession> members = ConcurrentHashMap.newKeySet();
    private final Sinks.One<RunningServer> server = Sinks.one();
    private final SlowConsumerPolicy policy;

    ChatRoom(SlowConsumerPolicy policy) {
        this.policy = policy;
    }

    /** Attaches the bound server whose {@code broadcast} the room uses; joins wait for it. */
    void attach(RunningServer running) {
        server.tryEmitValue(running);
    }

    /** The handler of one member's session: announce, relay until it leaves, announce. */
    Mono<Void> join(WebSocketSession session) {
        String name = nameOf(session);
        return server.asMono().flatMap(running -> {
            members.add(session);
            announce(running, "* " + name + " joined");
            return session.receive()
                    .filter(Message::isText)
                    .doOnNext(message -> announce(running, name + ": " + message.text()))
                    // A member that drops its connection is an ordinary leave, not a handler error.
                    .onErrorResume(ConnectionClosedException.class, closed -> Mono.empty())
                    .then()
                    .doFinally(signal -> {
                        members.remove(session);
                        announce(running, "* " + name + " left");
                    });
        });
    }

    /** The current number of members. */
    int size() {
        return members.size();
    }

    private void announce(RunningServer running, String text) {
        running.broadcast(Message.text(text), members, policy);
    }

    /** The {@code name} query parameter of the handshake request, else the session id. */
    static String nameOf(WebSocketSession session) {
        String path = session.handshakeRequest().path();
        int query = path.indexOf('?');
        if (query >= 0) {
            for (String pair : path.substring(query + 1).split("&")) {
                if (pair.startsWith("name=") && pair.length() > "name=".length()) {
                    return URLDecoder.decode(pair.substring("name=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        return session.id();
    }
}
