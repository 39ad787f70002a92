package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.ProtocolState;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import dev.wsflux.protocol.http11.WebSocketUri;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@link ServerHandshakeRunner} through {@link Engines#serveConnection} on an {@code EmbeddedChannel}, the client a
 * Sans-I/O {@link ClientProtocol}: the response decided now or later, failing hooks (500), rejections, the handler's
 * end (1000, 1011), frames that came with the request, a connection lost before the response, the open timeout.
 */
class ServerHandshakeRunnerTest {
    /** A masked text frame "Hello" (RFC 6455 §5.7), as a client sends it right behind its request. */
    private static final byte[] MASKED_HELLO = HexFormat.of().parseHex("818537fa213d7f9f4d5158");

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final ClientProtocol client =
            ClientProtocol.builder(WebSocketUri.parse("ws://localhost/chat")).build();
    private final EmbeddedConnection connection = new EmbeddedConnection(client);
    private final ServerProtocol server =
            ServerProtocol.builder().deferClose(true).build();
    private final Decisions decisions = new Decisions();

    /** The server's decisions, set by each test; records what the runner asked. */
    static final class Decisions implements Engines.ServerHandshake {
        BiFunction<Request, ServerProtocol, Response> now = (request, protocol) -> null;
        BiFunction<Request, ServerProtocol, Mono<Response>> later =
                (request, protocol) -> Mono.error(new AssertionError("respond() not expected"));
        Function<WebSocketSession, Publisher<Void>> handler = session -> Mono.never();
        final List<WebSocketSession> handled = new ArrayList<>();

        @Override
        public Response respondNow(Request request, ServerProtocol protocol) {
            return now.apply(request, protocol);
        }

        @Override
        public Mono<Response> respond(Request request, ServerProtocol protocol) {
            return later.apply(request, protocol);
        }

        @Override
        public Publisher<Void> handle(WebSocketSession session) {
            handled.add(session);
            return handler.apply(session);
        }
    }

    @AfterEach
    void close() {
        connection.close();
        time.dispose();
    }

    private void serve() {
        SessionOptions options = SessionOptions.builder()
                .timer(time)
                .openTimeout(Duration.ofSeconds(10))
                .pingInterval(Duration.ZERO)
                .build();
        Engines.serveConnection(connection.connection, server, options, decisions)
                .subscribe();
    }

    /** The client's request arrives; {@code after} follows it in the same read. */
    private void sendRequest(byte[] after) {
        client.sendRequest(client.connect());
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        for (ByteBuffer buffer : client.dataToSend()) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            read.writeBytes(bytes);
        }
        read.writeBytes(after);
        connection.writeInbound(read.toByteArray());
    }

    private void sendRequest() {
        sendRequest(new byte[0]);
    }

    /** The response the client received (the first event the engine's output gives it). */
    private Response response(List<Event> events) {
        assertFalse(events.isEmpty(), "no response");
        return assertInstanceOf(Response.class, events.get(0));
    }

    private static Response accept(Request request, ServerProtocol protocol) {
        return protocol.accept(request);
    }

    @Nested
    class Responding {
        @Test
        void aResponseDecidedAtOnceIsWrittenWithoutCallingRespond() {
            decisions.now = ServerHandshakeRunnerTest::accept;
            serve();
            sendRequest();

            assertEquals(101, response(connection.deliverToPeer()).status());
            assertEquals(ProtocolState.OPEN, client.state());
            assertEquals(1, decisions.handled.size());
            WebSocketSession session = decisions.handled.get(0);
            assertTrue(session.isOpen());
            assertEquals("/chat", session.handshakeRequest().path());
            assertEquals(101, session.handshakeResponse().status());
        }

        @Test
        void anAsynchronousResponseIsWrittenWhenItArrives() {
            Sinks.One<Response> answer = Sinks.one();
            Request[] seen = new Request[1];
            decisions.later = (request, protocol) -> {
                seen[0] = request;
                return answer.asMono();
            };
            serve();
            sendRequest();

            assertEquals(0, connection.readOutbound().length, "nothing written before the answer");
            assertTrue(decisions.handled.isEmpty());
            answer.tryEmitValue(server.accept(seen[0]));

            assertEquals(101, response(connection.deliverToPeer()).status());
            assertEquals(1, decisions.handled.size());
        }

        @Test
        void aHookThatThrowsIsAnswered500AndTheConnectionClosed() {
            decisions.now = (request, protocol) -> {
                throw new IllegalStateException("respondNow threw");
            };
            serve();
            sendRequest();

            assertEquals(500, response(connection.deliverToPeer()).status());
            assertTrue(connection.isClosed());
            assertTrue(decisions.handled.isEmpty());
        }

        @Test
        void respondThrowingIsAnswered500() {
            decisions.later = (request, protocol) -> {
                throw new IllegalStateException("respond threw");
            };
            serve();
            sendRequest();

            assertEquals(500, response(connection.deliverToPeer()).status());
            assertTrue(connection.isClosed());
        }

        @Test
        void anErroringResponseIsAnswered500() {
            decisions.later = (request, protocol) -> Mono.error(new IllegalStateException("hook failed"));
            serve();
            sendRequest();

            assertEquals(500, response(connection.deliverToPeer()).status());
            assertTrue(connection.isClosed());
        }

        @Test
        void anEmptyResponseIsAnswered500() {
            decisions.later = (request, protocol) -> Mono.empty();
            serve();
            sendRequest();

            assertEquals(500, response(connection.deliverToPeer()).status());
            assertTrue(connection.isClosed());
        }

        @Test
        void aRejectionIsWrittenAndClosesTheConnectionWithoutAHandler() {
            decisions.now = (request, protocol) -> protocol.reject(403, "no");
            serve();
            sendRequest();

            Response response = response(connection.deliverToPeer());
            assertEquals(403, response.status());
            assertEquals("no\n", response.bodyText());
            InvalidStatusException failure =
                    assertInstanceOf(InvalidStatusException.class, client.handshakeException());
            assertEquals(403, failure.status());
            assertTrue(connection.isClosed());
            assertTrue(decisions.handled.isEmpty());
        }
    }

    @Nested
    class Handler {
        @Test
        void aHandlerThatCompletesClosesWith1000() {
            decisions.now = ServerHandshakeRunnerTest::accept;
            decisions.handler = session -> Mono.empty();
            serve();
            sendRequest();

            connection.deliverToPeer();
            assertEquals(new CloseStatus(1000, ""), client.closeReceived());
        }

        @Test
        void aHandlerThatErrorsClosesWith1011WithoutItsText() {
            decisions.now = ServerHandshakeRunnerTest::accept;
            decisions.handler = session -> Mono.error(new IllegalStateException("secret detail"));
            serve();
            sendRequest();

            connection.deliverToPeer();
            assertEquals(new CloseStatus(1011, ""), client.closeReceived());
        }

        @Test
        void aHandlerThatThrowsClosesWith1011() {
            decisions.now = ServerHandshakeRunnerTest::accept;
            decisions.handler = session -> {
                throw new IllegalStateException("handler threw");
            };
            serve();
            sendRequest();

            connection.deliverToPeer();
            assertEquals(new CloseStatus(1011, ""), client.closeReceived());
        }

        @Test
        void aHandlerThatEndsLaterClosesThen() {
            Sinks.Empty<Void> done = Sinks.empty();
            decisions.now = ServerHandshakeRunnerTest::accept;
            decisions.handler = session -> done.asMono();
            serve();
            sendRequest();

            connection.deliverToPeer();
            assertNull(client.closeReceived(), "open while the handler runs");
            done.tryEmitEmpty();
            connection.deliverToPeer();
            assertEquals(new CloseStatus(1000, ""), client.closeReceived());
        }
    }

    /** A frame parsed by the handshake's read must not spin the loop while the response is pending. */
    @Nested
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    class EarlyFrames {
        private final List<Message> received = new ArrayList<>();

        private void receiveOne() {
            decisions.handler =
                    session -> session.receive().take(1).doOnNext(received::add).then(Mono.never());
        }

        @Test
        void aFrameThatCameWithTheRequestIsDeliveredOnceOpen() {
            decisions.now = ServerHandshakeRunnerTest::accept;
            receiveOne();
            serve();
            sendRequest(MASKED_HELLO);

            assertEquals(List.of(Message.text("Hello")), received);
        }

        @Test
        void aFrameThatCameWithTheRequestWaitsForAnAsynchronousResponse() {
            Sinks.One<Response> answer = Sinks.one();
            Request[] seen = new Request[1];
            decisions.later = (request, protocol) -> {
                seen[0] = request;
                return answer.asMono();
            };
            receiveOne();
            serve();
            sendRequest(MASKED_HELLO);
            assertTrue(received.isEmpty());

            answer.tryEmitValue(server.accept(seen[0]));

            assertEquals(List.of(Message.text("Hello")), received);
        }

        @Test
        void readingPausesWhileBytesWaitForTheResponseAndResumesOnceOpen() {
            Sinks.One<Response> answer = Sinks.one();
            Request[] seen = new Request[1];
            decisions.later = (request, protocol) -> {
                seen[0] = request;
                return answer.asMono();
            };
            serve(); // the handler never reads: nothing else would wake the engine up
            sendRequest(MASKED_HELLO);
            assertFalse(connection.channel.config().isAutoRead(), "the frame waits undecoded: no more reads");

            answer.tryEmitValue(server.accept(seen[0]));

            assertTrue(connection.channel.config().isAutoRead(), "the frame is queued; there is room for more");
        }
    }

    @Nested
    class ClosedBeforeTheResponse {
        @Test
        void theConnectionClosingCancelsThePendingResponse() {
            AtomicBoolean cancelled = new AtomicBoolean();
            decisions.later = (request, protocol) -> Mono.<Response>never().doOnCancel(() -> cancelled.set(true));
            serve();
            sendRequest();

            connection.channel.close();
            connection.runPendingTasks();

            assertTrue(cancelled.get());
            assertTrue(decisions.handled.isEmpty());
        }

        @Test
        void aResponseArrivingAfterTheConnectionClosedIsDropped() {
            Sinks.One<Response> answer = Sinks.one();
            Request[] seen = new Request[1];
            decisions.later = (request, protocol) -> {
                seen[0] = request;
                // The hook answers although cancelled, as a hook that ignores cancellation would.
                return Mono.fromFuture(answer.asMono().toFuture(), true);
            };
            serve();
            sendRequest();
            connection.channel.close();
            connection.runPendingTasks();

            answer.tryEmitValue(server.accept(seen[0]));

            assertEquals(0, connection.readOutbound().length);
            assertTrue(decisions.handled.isEmpty());
        }
    }

    @Nested
    class OpenTimeout {
        @Test
        void aConnectionThatSendsNoRequestIsAbortedAfterTheOpenTimeout() {
            serve();
            time.advanceTimeBy(Duration.ofSeconds(10).minusMillis(1));
            assertFalse(connection.isClosed());

            time.advanceTimeBy(Duration.ofMillis(1));

            assertTrue(connection.isClosed());
        }

        @Test
        void aResponseNotDecidedInTimeIsAbortedToo() {
            decisions.later = (request, protocol) -> Mono.never();
            serve();
            sendRequest();

            time.advanceTimeBy(Duration.ofSeconds(10));

            assertTrue(connection.isClosed());
            assertEquals(0, connection.readOutbound().length, "no response, just the abort");
        }

        @Test
        void theOpenTimeoutIsDisarmedOnceOpen() {
            decisions.now = ServerHandshakeRunnerTest::accept;
            serve();
            sendRequest();
            assertNotNull(decisions.handled.get(0));

            time.advanceTimeBy(Duration.ofMinutes(1));

            assertFalse(connection.isClosed());
        }
    }
}
