package dev.wsflux.samples.examples;

import dev.wsflux.core.Message;
import dev.wsflux.core.SessionOptions;
import dev.wsflux.test.WebSocketTestPair;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * How to test your own handler: run it on the server end of an in-process {@link WebSocketTestPair} (real
 * engine and protocol, no socket) and drive the client end with {@code StepVerifier}.
 */
class EchoHandlerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void prefixesTextAndEchoesBinaryUnchanged() {
        try (WebSocketTestPair pair = WebSocketTestPair.createNow(SessionOptions.defaults())) {
            // The pair aborts both ends when the test closes it: the handler then ends with an error, ignored here.
            new EchoHandler("echo: ").apply(pair.server()).subscribe(null, aborted -> {});

            StepVerifier.create(pair.client()
                            .send(Flux.just(Message.text("hi"), Message.binary(new byte[] {1, 2})))
                            .thenMany(pair.client().receive())
                            .take(2))
                    .expectNext(Message.text("echo: hi"))
                    .expectNext(Message.binary(new byte[] {1, 2}))
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Test
    void completesWhenTheClientCloses() {
        try (WebSocketTestPair pair = WebSocketTestPair.createNow(SessionOptions.defaults())) {
            StepVerifier.create(new EchoHandler("").apply(pair.server()))
                    .then(() -> pair.client().close(1000, "bye").subscribe())
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(pair.server().closeStatus().map(status -> status.code()))
                    .expectNext(1000)
                    .expectComplete()
                    .verify(WAIT);
        }
    }
}
