package dev.wsflux.protocol.extensions.permessagedeflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.NegotiationException;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.http11.ExtensionOffer;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PerMessageDeflateClientFactoryTest {
    private static final PerMessageDeflateOptions DEFAULTS = PerMessageDeflateOptions.clientDefaults();

    private static ExtensionOffer response(String parameters) {
        return new ExtensionOffer(PerMessageDeflate.NAME, PerMessageDeflateParametersTest.parameters(parameters));
    }

    private static String header(PerMessageDeflateClientFactory factory) {
        return factory.offers().stream().map(ExtensionOffer::toString).collect(Collectors.joining(", "));
    }

    private static PerMessageDeflate accept(PerMessageDeflateClientFactory factory, String parameters) {
        return (PerMessageDeflate) factory.accept(response(parameters), List.of());
    }

    /** The offers of [(client_no_context_takeover, server_max_window_bits=9), (client_no_context_takeover), ()]. */
    private static PerMessageDeflateClientFactory threeOffers() {
        return PerMessageDeflateClientFactory.of(
                DEFAULTS.toBuilder()
                        .clientNoContextTakeover(true)
                        .serverMaxWindowBits(9)
                        .clientMaxWindowBits(null)
                        .compressionLevel(1)
                        .build(),
                DEFAULTS.toBuilder()
                        .clientNoContextTakeover(true)
                        .clientMaxWindowBits(null)
                        .compressionLevel(2)
                        .build(),
                DEFAULTS.toBuilder()
                        .clientMaxWindowBits(null)
                        .compressionLevel(3)
                        .build());
    }

    @Nested
    class Offers {
        @Test
        void offersClientMaxWindowBitsWithoutAValueByDefault() {
            PerMessageDeflateClientFactory factory = PerMessageDeflateClientFactory.create();
            assertEquals("permessage-deflate", factory.name());
            assertEquals("permessage-deflate; client_max_window_bits", header(factory));
            assertEquals(List.of(DEFAULTS), factory.options());
        }

        @Test
        void offersEveryParameter() {
            PerMessageDeflateClientFactory factory = PerMessageDeflateClientFactory.of(DEFAULTS.toBuilder()
                    .serverNoContextTakeover(true)
                    .clientNoContextTakeover(true)
                    .serverMaxWindowBits(10)
                    .clientMaxWindowBits(11)
                    .build());
            assertEquals(
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                            + " server_max_window_bits=10; client_max_window_bits=11",
                    header(factory));
        }

        @Test
        void offersNoParameterWhenClientMaxWindowBitsIsNotNegotiated() {
            PerMessageDeflateClientFactory factory = PerMessageDeflateClientFactory.of(
                    DEFAULTS.toBuilder().clientMaxWindowBits(null).build());
            assertEquals("permessage-deflate", header(factory));
        }

        @Test
        void makesOneOfferPerOptionsInOrder() {
            assertEquals(
                    "permessage-deflate; client_no_context_takeover; server_max_window_bits=9,"
                            + " permessage-deflate; client_no_context_takeover, permessage-deflate",
                    header(threeOffers()));
            assertEquals(
                    3,
                    PerMessageDeflateClientFactory.of(threeOffers().options())
                            .offers()
                            .size());
        }

        @Test
        void needsAtLeastOneOffer() {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> PerMessageDeflateClientFactory.of(List.of()));
            assertEquals("permessage-deflate needs at least one offer", e.getMessage());
        }
    }

    @Nested
    class Responses {
        @Test
        void acceptsAResponseWithoutParameters() {
            PerMessageDeflate extension = accept(PerMessageDeflateClientFactory.create(), "");
            assertFalse(extension.localNoContextTakeover());
            assertEquals(15, extension.localMaxWindowBits());
            assertFalse(extension.remoteNoContextTakeover());
            assertEquals(15, extension.remoteMaxWindowBits());
            assertEquals("permessage-deflate", extension.toString());
        }

        // §7.1.1.1, §7.1.1.2: the server may add either no_context_takeover to any response.
        @Test
        void acceptsContextTakeoverParametersThatWereNotOffered() {
            PerMessageDeflate extension = accept(
                    PerMessageDeflateClientFactory.create(), "server_no_context_takeover; client_no_context_takeover");
            assertTrue(extension.localNoContextTakeover());
            assertTrue(extension.remoteNoContextTakeover());
        }

        // §7.1.2.1: the server may add server_max_window_bits to any response.
        @Test
        void acceptsAServerWindowThatWasNotOffered() {
            PerMessageDeflate extension = accept(PerMessageDeflateClientFactory.create(), "server_max_window_bits=10");
            assertEquals(10, extension.remoteMaxWindowBits());
        }

        // §7.1.2.2: offered without a value, the server may pick any window for the client.
        @Test
        void takesTheClientWindowTheServerPicks() {
            PerMessageDeflate extension = accept(PerMessageDeflateClientFactory.create(), "client_max_window_bits=8");
            assertEquals(8, extension.localMaxWindowBits());
        }

        @Test
        void keepsToItsOwnOfferWhenTheServerLeavesItOut() {
            PerMessageDeflateClientFactory factory = PerMessageDeflateClientFactory.of(DEFAULTS.toBuilder()
                    .clientNoContextTakeover(true)
                    .clientMaxWindowBits(11)
                    .build());
            PerMessageDeflate extension = accept(factory, "");
            assertTrue(extension.localNoContextTakeover());
            assertEquals(11, extension.localMaxWindowBits());
            assertEquals(10, accept(factory, "client_max_window_bits=10").localMaxWindowBits());
            assertEquals(11, accept(factory, "client_max_window_bits=11").localMaxWindowBits());
        }

        @Test
        void acceptsAServerWindowSmallerThanOffered() {
            PerMessageDeflateClientFactory factory = PerMessageDeflateClientFactory.of(DEFAULTS.toBuilder()
                    .serverMaxWindowBits(12)
                    .serverNoContextTakeover(true)
                    .build());
            PerMessageDeflate extension = accept(factory, "server_no_context_takeover; server_max_window_bits=9");
            assertEquals(9, extension.remoteMaxWindowBits());
            assertTrue(extension.remoteNoContextTakeover());
        }

        @Test
        void acceptsANameInAnotherCase() {
            PerMessageDeflate extension = (PerMessageDeflate)
                    PerMessageDeflateClientFactory.create().accept(ExtensionOffer.of("PerMessage-Deflate"), List.of());
            assertEquals(15, extension.localMaxWindowBits());
        }
    }

    @Nested
    class Fallback {
        @ParameterizedTest(name = "[{0}]")
        @CsvSource(
                delimiter = '|',
                value = {
                    // response | offer it answers (compression level) | server window | client no context
                    "server_max_window_bits=9; client_no_context_takeover | 1 | 9 | true",
                    "server_max_window_bits=8 | 1 | 8 | true",
                    "client_no_context_takeover | 2 | 15 | true",
                    "'' | 2 | 15 | true",
                    "server_max_window_bits=10 | 2 | 10 | true",
                    "server_no_context_takeover; server_max_window_bits=15 | 2 | 15 | true",
                })
        void matchesTheFirstOfferTheResponseAnswers(String parameters, int level, int serverBits, boolean noContext) {
            PerMessageDeflate extension = accept(threeOffers(), parameters);
            assertEquals(serverBits, extension.remoteMaxWindowBits());
            assertEquals(noContext, extension.localNoContextTakeover());
            // the answered offer's options are used: level 1 is the first offer's, and so on
            assertEquals(level, extension.compressionLevel());
        }
    }

    @Nested
    class Rejections {
        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "unknown parameter | server_max_window_bits=10; x=1"
                            + " | invalid permessage-deflate response: unknown parameter x=1",
                    "duplicate | server_no_context_takeover; server_no_context_takeover"
                            + " | invalid permessage-deflate response: duplicate parameter server_no_context_takeover",
                    "out of range | server_max_window_bits=16"
                            + " | invalid permessage-deflate response: invalid value server_max_window_bits=16: expected 8"
                            + " to 15 without leading zeroes",
                    "value where none is allowed | client_no_context_takeover=1"
                            + " | invalid permessage-deflate response: client_no_context_takeover takes no value:"
                            + " client_no_context_takeover=1",
                    "missing value | client_max_window_bits"
                            + " | invalid permessage-deflate response: client_max_window_bits requires a value in a"
                            + " response",
                })
        void failsOnAnInvalidResponse(String name, String parameters, String message) {
            NegotiationException e = assertThrows(
                    NegotiationException.class, () -> accept(PerMessageDeflateClientFactory.create(), parameters));
            assertEquals(message, e.getMessage());
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "client window not offered | client_max_window_bits=10 | null | 15 | false"
                            + " | unacceptable permessage-deflate response: client_max_window_bits=10 was not offered",
                    "client window above the offer | client_max_window_bits=12 | 11 | 15 | false"
                            + " | unacceptable permessage-deflate response: client_max_window_bits=12 exceeds the offered 11",
                    "server window above the offer | server_max_window_bits=12 | 15 | 10 | false"
                            + " | unacceptable permessage-deflate response: server_max_window_bits=12 exceeds the offered 10",
                    "server window left out | '' | 15 | 10 | false"
                            + " | unacceptable permessage-deflate response: server_max_window_bits=10 was offered but the"
                            + " response lacks it",
                    "server context takeover left out | '' | 15 | 15 | true"
                            + " | unacceptable permessage-deflate response: server_no_context_takeover was offered but"
                            + " the response lacks it",
                },
                nullValues = "null")
        void failsOnAResponseThatDoesNotAnswerTheOffer(
                String name,
                String parameters,
                Integer clientBits,
                int serverBits,
                boolean serverNoContextTakeover,
                String message) {
            PerMessageDeflateClientFactory factory = PerMessageDeflateClientFactory.of(DEFAULTS.toBuilder()
                    .clientMaxWindowBits(clientBits)
                    .serverMaxWindowBits(serverBits)
                    .serverNoContextTakeover(serverNoContextTakeover)
                    .build());
            NegotiationException e = assertThrows(NegotiationException.class, () -> accept(factory, parameters));
            assertEquals(message, e.getMessage());
        }

        @Test
        void explainsWhyEachOfSeveralOffersDoesNotMatch() {
            NegotiationException e =
                    assertThrows(NegotiationException.class, () -> accept(threeOffers(), "client_max_window_bits=10"));
            assertEquals(
                    "permessage-deflate response matches none of the 3 offers:"
                            + " 1. server_max_window_bits=9 was offered but the response lacks it;"
                            + " 2. client_max_window_bits=10 was not offered;"
                            + " 3. client_max_window_bits=10 was not offered",
                    e.getMessage());
        }

        @Test
        void failsOnAnotherExtensionsResponse() {
            NegotiationException e =
                    assertThrows(NegotiationException.class, () -> PerMessageDeflateClientFactory.create()
                            .accept(ExtensionOffer.of("x-webkit-deflate-frame"), List.of()));
            assertEquals("not a permessage-deflate response: x-webkit-deflate-frame", e.getMessage());
        }

        @Test
        void failsWhenAnAcceptedExtensionAlreadyUsesRsv1() {
            NegotiationException e =
                    assertThrows(NegotiationException.class, () -> PerMessageDeflateClientFactory.create()
                            .accept(
                                    response(""),
                                    List.of(new StubExtension("x-rsv2", 0b010), new StubExtension("x-rsv1", 0b100))));
            assertEquals("permessage-deflate cannot use rsv1: x-rsv1 already uses it", e.getMessage());
        }

        @Test
        void acceptsBesideExtensionsThatUseOtherBits() {
            Extension extension = PerMessageDeflateClientFactory.create()
                    .accept(response(""), List.of(new StubExtension("x-rsv23", 0b011)));
            assertEquals("permessage-deflate", extension.name());
        }
    }

    /** An extension that claims RSV bits and does nothing. */
    record StubExtension(String name, int rsvBits) implements Extension {
        @Override
        public Frame decode(Frame frame, long maxMessageSize) {
            return frame;
        }

        @Override
        public Frame encode(Frame frame, boolean compress) {
            return frame;
        }

        @Override
        public void close() {}
    }
}
