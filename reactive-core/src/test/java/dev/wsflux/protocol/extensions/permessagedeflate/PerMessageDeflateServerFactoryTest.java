package dev.wsflux.protocol.extensions.permessagedeflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.NegotiationException;
import dev.wsflux.protocol.extensions.ServerExtensionFactory;
import dev.wsflux.protocol.extensions.ServerExtensionFactory.Accepted;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateClientFactoryTest.StubExtension;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.http11.ExtensionOffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PerMessageDeflateServerFactoryTest {
    private static final PerMessageDeflateOptions FULL_WINDOWS = PerMessageDeflateOptions.clientDefaults();

    private static ExtensionOffer offer(String parameters) {
        return new ExtensionOffer(PerMessageDeflate.NAME, PerMessageDeflateParametersTest.parameters(parameters));
    }

    private static String answer(PerMessageDeflateServerFactory factory, String parameters) {
        Accepted accepted = factory.accept(offer(parameters), List.of());
        assertSame(accepted.response(), ((PerMessageDeflate) accepted.extension()).agreed());
        return accepted.response().toString();
    }

    /** What a server does with a client's offers: the first one a factory accepts wins. */
    private static Accepted acceptFirst(
            ServerExtensionFactory factory, List<ExtensionOffer> offers, List<Extension> accepted) {
        for (ExtensionOffer offer : offers) {
            Accepted answer = factory.accept(offer, accepted);
            if (answer != null) {
                return answer;
            }
        }
        return null;
    }

    @Nested
    class Answers {
        @ParameterizedTest(name = "[{0}] -> [{1}]")
        @CsvSource(
                delimiter = '|',
                value = {
                    "'' | permessage-deflate",
                    "client_max_window_bits | permessage-deflate",
                    "server_no_context_takeover | permessage-deflate; server_no_context_takeover",
                    // §7.1.1.2: the hint is echoed, so that the server may release its inflater
                    "client_no_context_takeover | permessage-deflate; client_no_context_takeover",
                    "server_max_window_bits=10 | permessage-deflate; server_max_window_bits=10",
                    "client_max_window_bits=9 | permessage-deflate; client_max_window_bits=9",
                    "server_no_context_takeover; client_no_context_takeover; server_max_window_bits=8;"
                            + " client_max_window_bits=8 | permessage-deflate; server_no_context_takeover;"
                            + " client_no_context_takeover; server_max_window_bits=8; client_max_window_bits=8",
                })
        void answersEachParameterWithFullWindows(String offered, String answered) {
            assertEquals(answered, answer(PerMessageDeflateServerFactory.of(FULL_WINDOWS), offered));
        }

        @ParameterizedTest(name = "[{0}] -> [{1}]")
        @CsvSource(
                delimiter = '|',
                value = {
                    "'' | permessage-deflate; server_max_window_bits=12",
                    "client_max_window_bits | permessage-deflate; server_max_window_bits=12; client_max_window_bits=12",
                    "client_max_window_bits=14 | permessage-deflate; server_max_window_bits=12; client_max_window_bits=12",
                    "client_max_window_bits=10 | permessage-deflate; server_max_window_bits=12; client_max_window_bits=10",
                    "server_max_window_bits=15 | permessage-deflate; server_max_window_bits=12",
                    "server_max_window_bits=9 | permessage-deflate; server_max_window_bits=9",
                })
        void answersWithTheServerDefaults(String offered, String answered) {
            PerMessageDeflateServerFactory factory = PerMessageDeflateServerFactory.create();
            assertEquals(PerMessageDeflateOptions.serverDefaults(), factory.options());
            assertEquals(answered, answer(factory, offered));
        }

        @Test
        void asksForNoContextTakeoverWhenConfigured() {
            PerMessageDeflateServerFactory factory = PerMessageDeflateServerFactory.of(FULL_WINDOWS.toBuilder()
                    .serverNoContextTakeover(true)
                    .clientNoContextTakeover(true)
                    .build());
            assertEquals(
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover", answer(factory, ""));
        }

        @Test
        void neverAsksForAClientWindowWhenNotNegotiated() {
            PerMessageDeflateServerFactory factory = PerMessageDeflateServerFactory.of(
                    FULL_WINDOWS.toBuilder().clientMaxWindowBits(null).build());
            assertEquals("permessage-deflate", answer(factory, "client_max_window_bits"));
            assertEquals("permessage-deflate; client_max_window_bits=11", answer(factory, "client_max_window_bits=11"));
        }

        @Test
        void buildsTheExtensionWithTheAgreedParameters() {
            Accepted accepted = PerMessageDeflateServerFactory.create()
                    .accept(offer("server_no_context_takeover; client_max_window_bits"), List.of());
            PerMessageDeflate extension = (PerMessageDeflate) accepted.extension();
            assertEquals(true, extension.localNoContextTakeover());
            assertEquals(12, extension.localMaxWindowBits());
            assertEquals(false, extension.remoteNoContextTakeover());
            assertEquals(12, extension.remoteMaxWindowBits());
            assertEquals(6, extension.compressionLevel());
            assertEquals(
                    "permessage-deflate",
                    PerMessageDeflateServerFactory.create().name());
        }
    }

    @Nested
    class Declines {
        @Test
        void declinesAnotherExtension() {
            assertNull(PerMessageDeflateServerFactory.create()
                    .accept(ExtensionOffer.of("x-webkit-deflate-frame"), List.of()));
        }

        @Test
        void declinesEveryOfferWhenAnAcceptedExtensionUsesRsv1() {
            List<ExtensionOffer> offers = List.of(offer("client_no_context_takeover"), offer(""));
            assertNull(acceptFirst(
                    PerMessageDeflateServerFactory.create(), offers, List.of(new StubExtension("x-rsv1", 0b100))));
            Accepted accepted = acceptFirst(
                    PerMessageDeflateServerFactory.create(), offers, List.of(new StubExtension("x-rsv2", 0b010)));
            assertEquals(
                    "permessage-deflate; client_no_context_takeover; server_max_window_bits=12",
                    accepted.response().toString());
        }

        // The client's example: [(client_no_context_takeover, server_max_window_bits=9),
        // (client_no_context_takeover), ()]. Every window can be honoured, so the first offer wins.
        @Test
        void acceptsTheFirstOfSeveralOffers() {
            List<ExtensionOffer> offers = List.of(
                    offer("client_no_context_takeover; server_max_window_bits=9"),
                    offer("client_no_context_takeover"),
                    offer(""));
            Accepted accepted = acceptFirst(PerMessageDeflateServerFactory.of(FULL_WINDOWS), offers, List.of());
            assertEquals(
                    "permessage-deflate; client_no_context_takeover; server_max_window_bits=9",
                    accepted.response().toString());
        }
    }

    @Nested
    class Rejections {
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "unknown | client_max_window_bits; deflate_level=9"
                            + " | invalid permessage-deflate offer: unknown parameter deflate_level=9",
                    "duplicated | client_max_window_bits=10; client_max_window_bits=11"
                            + " | invalid permessage-deflate offer: duplicate parameter client_max_window_bits",
                    "out of range | server_max_window_bits=20"
                            + " | invalid permessage-deflate offer: invalid value server_max_window_bits=20: expected 8"
                            + " to 15 without leading zeroes",
                    "value where none is allowed | server_no_context_takeover=yes"
                            + " | invalid permessage-deflate offer: server_no_context_takeover takes no value:"
                            + " server_no_context_takeover=yes",
                    "missing value | server_max_window_bits"
                            + " | invalid permessage-deflate offer: server_max_window_bits requires a value in an offer",
                })
        void throwsOnAnInvalidOffer(String name, String parameters, String message) {
            NegotiationException e =
                    assertThrows(NegotiationException.class, () -> PerMessageDeflateServerFactory.create()
                            .accept(offer(parameters), List.of()));
            assertEquals(message, e.getMessage());
        }
    }

    @Nested
    class EndToEnd {
        @ParameterizedTest(name = "client {0} / server {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "defaults | defaults",
                    "defaults | full windows",
                    "small server window, no client context | defaults",
                    "no client window | no context takeover",
                })
        void negotiatesAndExchangesMessages(String client, String server) {
            PerMessageDeflateClientFactory clientFactory =
                    switch (client) {
                        case "defaults" -> PerMessageDeflateClientFactory.create();
                        case "small server window, no client context" ->
                            PerMessageDeflateClientFactory.of(FULL_WINDOWS.toBuilder()
                                    .serverMaxWindowBits(9)
                                    .clientNoContextTakeover(true)
                                    .build());
                        default ->
                            PerMessageDeflateClientFactory.of(FULL_WINDOWS.toBuilder()
                                    .clientMaxWindowBits(null)
                                    .build());
                    };
            PerMessageDeflateServerFactory serverFactory =
                    switch (server) {
                        case "defaults" -> PerMessageDeflateServerFactory.create();
                        case "full windows" -> PerMessageDeflateServerFactory.of(FULL_WINDOWS);
                        default ->
                            PerMessageDeflateServerFactory.of(FULL_WINDOWS.toBuilder()
                                    .serverNoContextTakeover(true)
                                    .clientNoContextTakeover(true)
                                    .build());
                    };
            Accepted accepted = acceptFirst(serverFactory, clientFactory.offers(), List.of());
            Extension serverSide = accepted.extension();
            Extension clientSide = clientFactory.accept(accepted.response(), List.of());
            Random random = new Random(42);
            for (int i = 0; i < 30; i++) {
                byte[] message = PerMessageDeflateTest.sample(random, 50 + random.nextInt(20_000));
                Frame toServer = clientSide.encode(Frame.binary(message.clone()), true);
                assertArrayEquals(
                        message, serverSide.decode(toServer, Long.MAX_VALUE).payloadBytes());
                Frame toClient = serverSide.encode(Frame.binary(message.clone()), true);
                assertArrayEquals(
                        message, clientSide.decode(toClient, Long.MAX_VALUE).payloadBytes());
            }
            clientSide.close();
            serverSide.close();
        }
    }
}
