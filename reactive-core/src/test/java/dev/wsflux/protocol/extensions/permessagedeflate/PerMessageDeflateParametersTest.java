package dev.wsflux.protocol.extensions.permessagedeflate;

import static dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateParameters.ABSENT;
import static dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateParameters.NO_VALUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsflux.protocol.extensions.NegotiationException;
import dev.wsflux.protocol.http11.ExtensionParameter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PerMessageDeflateParametersTest {
    /** Parameters from {@code "name=value; name"}; {@code ""} gives none. */
    static List<ExtensionParameter> parameters(String text) {
        List<ExtensionParameter> list = new ArrayList<>();
        if (text.isBlank()) {
            return list;
        }
        for (String element : text.split(";")) {
            String[] nameValue = element.trim().split("=", 2);
            list.add(
                    nameValue.length == 1
                            ? ExtensionParameter.of(nameValue[0])
                            : ExtensionParameter.of(nameValue[0], nameValue[1]));
        }
        return list;
    }

    private static PerMessageDeflateParameters offer(String text) {
        return PerMessageDeflateParameters.parse(parameters(text), false);
    }

    private static PerMessageDeflateParameters response(String text) {
        return PerMessageDeflateParameters.parse(parameters(text), true);
    }

    @Nested
    class Parsing {
        @Test
        void readsAnOfferWithEveryParameter() {
            assertEquals(
                    new PerMessageDeflateParameters(true, true, 10, 9),
                    offer("server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10;"
                            + " client_max_window_bits=9"));
        }

        @Test
        void readsAnEmptyOffer() {
            assertEquals(new PerMessageDeflateParameters(false, false, ABSENT, ABSENT), offer(""));
        }

        // RFC 7692 §7.1.2.2: "This parameter has no value or a decimal integer value" (in an offer).
        @Test
        void readsClientMaxWindowBitsWithoutAValueInAnOffer() {
            assertEquals(
                    new PerMessageDeflateParameters(false, false, ABSENT, NO_VALUE), offer("client_max_window_bits"));
        }

        @Test
        void comparesNamesWithoutRegardToCase() {
            assertEquals(
                    new PerMessageDeflateParameters(true, false, 12, ABSENT),
                    response("Server_No_Context_Takeover; SERVER_MAX_WINDOW_BITS=12"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"8", "9", "10", "11", "12", "13", "14", "15"})
        void readsEveryWindowFrom8To15(String bits) {
            assertEquals(
                    Integer.parseInt(bits),
                    response("server_max_window_bits=" + bits).serverMaxWindowBits());
            assertEquals(
                    Integer.parseInt(bits),
                    response("client_max_window_bits=" + bits).clientMaxWindowBits());
        }
    }

    @Nested
    class Rejections {
        // RFC 7692 §7: "The negotiation offer contains an extension parameter not defined for use in an
        // offer.", "... with an invalid value.", "... multiple extension parameters with the same name."
        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "offer | x_max_window_bits=10 | invalid permessage-deflate offer: unknown parameter x_max_window_bits=10",
                    "response | mystery | invalid permessage-deflate response: unknown parameter mystery",
                    "offer | server_no_context_takeover; server_no_context_takeover"
                            + " | invalid permessage-deflate offer: duplicate parameter server_no_context_takeover",
                    "response | client_max_window_bits=10; CLIENT_MAX_WINDOW_BITS=11"
                            + " | invalid permessage-deflate response: duplicate parameter CLIENT_MAX_WINDOW_BITS",
                    "offer | server_no_context_takeover=1"
                            + " | invalid permessage-deflate offer: server_no_context_takeover takes no value:"
                            + " server_no_context_takeover=1",
                    "response | client_no_context_takeover=true"
                            + " | invalid permessage-deflate response: client_no_context_takeover takes no value:"
                            + " client_no_context_takeover=true",
                    "offer | server_max_window_bits"
                            + " | invalid permessage-deflate offer: server_max_window_bits requires a value in an offer",
                    "response | server_max_window_bits"
                            + " | invalid permessage-deflate response: server_max_window_bits requires a value in a"
                            + " response",
                    "response | client_max_window_bits"
                            + " | invalid permessage-deflate response: client_max_window_bits requires a value in a"
                            + " response",
                    "offer | server_max_window_bits=7"
                            + " | invalid permessage-deflate offer: invalid value server_max_window_bits=7: expected 8 to"
                            + " 15 without leading zeroes",
                    "offer | client_max_window_bits=16"
                            + " | invalid permessage-deflate offer: invalid value client_max_window_bits=16: expected 8 to"
                            + " 15 without leading zeroes",
                    "response | server_max_window_bits=09"
                            + " | invalid permessage-deflate response: invalid value server_max_window_bits=09: expected 8"
                            + " to 15 without leading zeroes",
                    "response | client_max_window_bits=ten"
                            + " | invalid permessage-deflate response: invalid value client_max_window_bits=ten: expected"
                            + " 8 to 15 without leading zeroes",
                    "offer | client_max_window_bits="
                            + " | invalid permessage-deflate offer: invalid value client_max_window_bits=: expected 8 to"
                            + " 15 without leading zeroes",
                })
        void throwsNegotiationException(String what, String text, String message) {
            NegotiationException e = assertThrows(
                    NegotiationException.class,
                    () -> PerMessageDeflateParameters.parse(parameters(text), what.equals("response")));
            assertEquals(message, e.getMessage());
        }
    }

    @Nested
    class Writing {
        @Test
        void writesParametersInTheCanonicalOrder() {
            assertEquals(
                    "permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                            + " server_max_window_bits=10; client_max_window_bits=9",
                    new PerMessageDeflateParameters(true, true, 10, 9).toOffer().toString());
        }

        @Test
        void writesClientMaxWindowBitsWithoutAValue() {
            assertEquals(
                    "permessage-deflate; client_max_window_bits",
                    new PerMessageDeflateParameters(false, false, ABSENT, NO_VALUE)
                            .toOffer()
                            .toString());
        }

        @Test
        void writesNothingForNoParameters() {
            assertEquals(List.of(), new PerMessageDeflateParameters(false, false, ABSENT, ABSENT).toList());
        }
    }
}
