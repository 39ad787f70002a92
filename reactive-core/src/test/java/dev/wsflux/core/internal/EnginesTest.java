package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.wsflux.core.SessionOptions;
import dev.wsflux.core.WebSocketSession;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.http11.InvalidHandshakeException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The handshake drivers behind {@link Engines}: server decisions, handler lifecycle, client failures. */
class EnginesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Loopback loopback = new Loopback();

    @AfterEach
    void stop() {
        loopback.dispose();
    }

    private Mono<WebSocketSession> connect(
            BiFunction<Request, ServerProtocol, Mono<Response>> respond,
            Function<WebSocketSession, Publisher<Void>> handle) {
        return loopback.connect(SessionOptions.defaults(), new Engines.ServerHandshake() {
            @Override
            public Mono<Response> respond(Request request, ServerProtocol protocol) {
                return respond.apply(request, protocol);
            }

            @Override
            public Publisher<Void> handle(WebSocketSession session) {
                return handle.apply(session);
            }
        });
    }

    private static Mono<Response> accept(Request request, ServerProtocol protocol) {
        return Mono.just(protocol.accept(request));
    }

    @Nested
    class ServerHandshake {
        @Test
        void aRejectionReachesTheClientAsInvalidStatusException() {
            StepVerifier.create(
                            connect((request, protocol) -> Mono.just(protocol.reject(403, "no")), s -> Mono.never()))
                    .expectErrorSatisfies(error -> {
                        InvalidStatusException status = assertInstanceOf(InvalidStatusException.class, error);
                        assertEquals(403, status.status());
                        assertEquals("no\n", status.response().bodyText());
                    })
                    .verify(WAIT);
        }

        @Test
        void aFailingOrEmptyResponseIsAnswered500() {
            for (BiFunction<Request, ServerProtocol, Mono<Response>> respond :
                    java.util.List.<BiFunction<Request, ServerProtocol, Mono<Response>>>of(
                            (request, protocol) -> Mono.error(new IllegalStateException("hook failed")),
                            (request, protocol) -> Mono.empty(),
                            (request, protocol) -> {
                                throw new IllegalStateException("hook threw");
                            })) {
                StepVerifier.create(connect(respond, s -> Mono.never()))
                        .expectErrorMatches(
                                error -> error instanceof InvalidStatusException status && status.status() == 500)
                        .verify(WAIT);
            }
        }

        @Test
        void aHandlerThatCompletesClosesWith1000() {
            WebSocketSession client =
                    connect(EnginesTest::accept, s -> Mono.empty()).block(WAIT);
            assertEquals(new CloseStatus(1000, ""), client.closeStatus().block(WAIT));
        }

        @Test
        void aHandlerThatThrowsClosesWith1011() {
            WebSocketSession client = connect(EnginesTest::accept, s -> {
                        throw new IllegalStateException("handler threw");
                    })
                    .block(WAIT);
            assertEquals(new CloseStatus(1011, ""), client.closeStatus().block(WAIT));
        }

        @Test
        void aHandlerEndingWithTheConnectionIsNotAnError() {
            WebSocketSession client = connect(
                            EnginesTest::accept, session -> session.receive().then())
                    .block(WAIT);
            client.close(1001, "bye").block(WAIT);
            assertEquals(new CloseStatus(1001, ""), client.closeStatus().block(WAIT));
        }
    }

    @Nested
    class ClientHandshake {
        @Test
        void cancellingTheConnectionBeforeTheResponseClosesIt() {
            StepVerifier.create(connect((request, protocol) -> Mono.never(), s -> Mono.never()))
                    .expectSubscription()
                    .expectNoEvent(Duration.ofMillis(50))
                    .thenCancel()
                    .verify(WAIT);
        }

        @Test
        void theServerClosingBeforeAnsweringIsAHandshakeError() {
            Mono<WebSocketSession> client = loopback.connect(
                    SessionOptions.builder().openTimeout(Duration.ofMillis(50)).build(), new Engines.ServerHandshake() {
                        @Override
                        public Mono<Response> respond(Request request, ServerProtocol protocol) {
                            return Mono.never();
                        }

                        @Override
                        public Publisher<Void> handle(WebSocketSession session) {
                            return Mono.never();
                        }
                    });
            StepVerifier.create(client)
                    .expectErrorSatisfies(error -> assertInstanceOf(InvalidHandshakeException.class, error))
                    .verify(WAIT);
        }
    }
}
