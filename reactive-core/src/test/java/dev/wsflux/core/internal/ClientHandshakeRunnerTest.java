package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.http11.InvalidHandshakeException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.WebSocketUri;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@link ClientHandshakeRunner} through {@link Engines#connectClient} on an {@code EmbeddedChannel}, the server a
 * Sans-I/O {@link ServerProtocol}: the request written, a 101 (with a message right behind it), a rejection, an
 * invalid 101, the connection lost or the caller cancelling before the response.
 */
class ClientHandshakeRunnerTest {
    private final ServerProtocol server = ServerProtocol.builder().build();
    private final EmbeddedConnection connection = new EmbeddedConnection(server);
    private final ClientProtocol client = ClientProtocol.builder(WebSocketUri.parse("ws://localhost/chat"))
            .deferClose(true)
            .build();

    @AfterEach
    void close() {
        connection.close();
    }

    private Mono<WebSocketSession> connect() {
        SessionOptions options =
                SessionOptions.builder().pingInterval(Duration.ZERO).build();
        return Engines.connectClient(connection.connection, client, client.connect(), options);
    }

    /** The request the server received. */
    private Request requestReceived() {
        List<Event> events = connection.deliverToPeer();
        assertEquals(1, events.size(), "one request: " + events);
        return assertInstanceOf(Request.class, events.get(0));
    }

    @Test
    void a101EmitsTheOpenSession() {
        StepVerifier.create(connect())
                .then(() -> {
                    Request request = requestReceived();
                    assertEquals("/chat", request.path());
                    server.sendResponse(server.accept(request));
                    connection.deliverToEngine();
                })
                .assertNext(session -> {
                    assertTrue(session.isOpen());
                    assertEquals(101, session.handshakeResponse().status());
                    assertEquals("/chat", session.handshakeRequest().path());
                })
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertFalse(connection.isClosed());
    }

    @Test
    void aMessageThatCameWithThe101IsDelivered() {
        StepVerifier.create(connect().flatMap(session -> session.receive().next()))
                .then(() -> {
                    server.sendResponse(server.accept(requestReceived()));
                    server.sendText(ByteBuffer.wrap("early".getBytes(StandardCharsets.UTF_8)), true);
                    connection.deliverToEngine(); // the response and the frame in one read
                })
                .expectNext(Message.text("early"))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aRejectionIsInvalidStatusExceptionAndClosesTheConnection() {
        StepVerifier.create(connect())
                .then(() -> {
                    requestReceived();
                    server.sendResponse(server.reject(403, "no"));
                    connection.deliverToEngine();
                })
                .expectErrorSatisfies(error -> {
                    InvalidStatusException status = assertInstanceOf(InvalidStatusException.class, error);
                    assertEquals(403, status.status());
                    assertEquals("no\n", status.response().bodyText());
                })
                .verify(Duration.ofSeconds(5));
        assertTrue(connection.isClosed());
    }

    @Test
    void anInvalid101FailsWithTheProtocolsReasonAndClosesTheConnection() {
        StepVerifier.create(connect())
                .then(() -> {
                    requestReceived();
                    connection.writeInbound(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: not-the-key\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                })
                .expectErrorSatisfies(error -> {
                    InvalidHandshakeException failure = assertInstanceOf(InvalidHandshakeException.class, error);
                    assertFalse(failure instanceof InvalidStatusException, failure.toString());
                    assertTrue(failure.getMessage().contains("Sec-WebSocket-Accept"), failure.getMessage());
                })
                .verify(Duration.ofSeconds(5));
        assertTrue(connection.isClosed());
    }

    @Test
    void theConnectionClosingBeforeTheResponseIsAHandshakeError() {
        StepVerifier.create(connect())
                .then(() -> {
                    requestReceived();
                    connection.channel.close();
                    connection.runPendingTasks();
                })
                .expectErrorSatisfies(error -> {
                    InvalidHandshakeException failure = assertInstanceOf(InvalidHandshakeException.class, error);
                    // The protocol's reason, from the end of the stream it received.
                    assertTrue(
                            failure.getMessage().startsWith("connection closed before the response"),
                            failure.getMessage());
                })
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void cancellingBeforeTheResponseClosesTheConnection() {
        StepVerifier.create(connect()).then(this::requestReceived).thenCancel().verify(Duration.ofSeconds(5));
        assertTrue(connection.isClosed());
    }
}
