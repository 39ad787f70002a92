package dev.wsflux.protocol.http11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Extension parameters of {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1). */
class ExtensionParameterTest {

    @Test
    void aParameterWithoutValuePrintsAsItsName() {
        ExtensionParameter parameter = ExtensionParameter.of("client_no_context_takeover");
        assertNull(parameter.value());
        assertEquals("client_no_context_takeover", parameter.toString());
    }

    @Test
    void aParameterWithValuePrintsAsNameEqualsValue() {
        ExtensionParameter parameter = ExtensionParameter.of("server_max_window_bits", "10");
        assertEquals("10", parameter.value());
        assertEquals("server_max_window_bits=10", parameter.toString());
    }

    @Test
    void theValuedFactoryRequiresAValue() {
        assertThrows(NullPointerException.class, () -> ExtensionParameter.of("server_max_window_bits", null));
    }

    @Test
    void aNameIsRequired() {
        assertThrows(NullPointerException.class, () -> new ExtensionParameter(null, "1"));
    }

    @Test
    void parametersPrintInsideTheirOfferSeparatedBySemicolons() {
        ExtensionOffer offer = ExtensionOffer.of(
                "permessage-deflate",
                ExtensionParameter.of("client_max_window_bits"),
                ExtensionParameter.of("server_max_window_bits", "10"));
        assertEquals("permessage-deflate; client_max_window_bits; server_max_window_bits=10", offer.toString());
    }
}
