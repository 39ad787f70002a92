package dev.wsflux.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.conformance.DeflateNegotiation.Agreed;
import dev.wsflux.conformance.DeflateNegotiation.Request;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DeflateNegotiationTest {

    @Nested
    class ClientOffers {
        @Test
        void buildsAutobahnStyleOffers() {
            assertEquals(
                    "permessage-deflate; client_max_window_bits",
                    DeflateNegotiation.offerHeader(List.of(new Request(false, 0))));
            assertEquals(
                    "permessage-deflate; client_max_window_bits; server_no_context_takeover; "
                            + "server_max_window_bits=9, permessage-deflate; client_max_window_bits",
                    DeflateNegotiation.offerHeader(List.of(new Request(true, 9), new Request(false, 0))));
        }

        @Test
        void acceptsAValidResponse() {
            Agreed agreed = DeflateNegotiation.checkResponse(
                    List.of(new Request(true, 9)),
                    "permessage-deflate; server_no_context_takeover; server_max_window_bits=9; client_max_window_bits=12");
            assertEquals(new Agreed(true, 9, false, 12), agreed);
        }

        @Test
        void rejectsAResponseThatIgnoresTheRequestedContextTakeover() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> DeflateNegotiation.checkResponse(List.of(new Request(true, 0)), "permessage-deflate"));
        }

        @Test
        void rejectsALargerWindowThanRequested() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> DeflateNegotiation.checkResponse(
                            List.of(new Request(false, 9)), "permessage-deflate; server_max_window_bits=10"));
        }

        @Test
        void rejectsUnknownAndMalformedParameters() {
            List<Request> offers = List.of(new Request(false, 0));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> DeflateNegotiation.checkResponse(offers, "permessage-deflate; x=1"));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> DeflateNegotiation.checkResponse(offers, "permessage-deflate; client_max_window_bits=16"));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> DeflateNegotiation.checkResponse(offers, "permessage-deflate; server_no_context_takeover=1"));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> DeflateNegotiation.checkResponse(
                            offers, "permessage-deflate; client_max_window_bits=9; client_max_window_bits=9"));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> DeflateNegotiation.checkResponse(offers, "permessage-deflate, permessage-deflate"));
        }
    }

    @Nested
    class ServerAcceptance {
        @Test
        void acceptsWithRequestedClientParameters() {
            Optional<Map.Entry<String, Agreed>> accepted = DeflateNegotiation.accept(
                    List.of(new Request(true, 9)), "permessage-deflate; client_max_window_bits");
            assertEquals(
                    "permessage-deflate; client_no_context_takeover; client_max_window_bits=9",
                    accepted.orElseThrow().getKey());
            assertEquals(new Agreed(false, 15, true, 9), accepted.orElseThrow().getValue());
        }

        @Test
        void fallsBackWhenTheClientCannotLimitItsWindow() {
            Optional<Map.Entry<String, Agreed>> accepted = DeflateNegotiation.accept(
                    List.of(new Request(true, 9), new Request(true, 0), new Request(false, 0)), "permessage-deflate");
            assertEquals(
                    "permessage-deflate; client_no_context_takeover",
                    accepted.orElseThrow().getKey());
        }

        @Test
        void honoursTheClientsRequestsOfTheServer() {
            Optional<Map.Entry<String, Agreed>> accepted = DeflateNegotiation.accept(
                    List.of(new Request(false, 0)),
                    "permessage-deflate; server_no_context_takeover; server_max_window_bits=10");
            assertEquals(
                    "permessage-deflate; server_no_context_takeover; server_max_window_bits=10",
                    accepted.orElseThrow().getKey());
        }

        @Test
        void acceptsNothingWithoutAnOffer() {
            assertTrue(DeflateNegotiation.accept(List.of(new Request(false, 0)), null)
                    .isEmpty());
            assertTrue(DeflateNegotiation.accept(List.of(new Request(false, 0)), "x-other")
                    .isEmpty());
            assertTrue(DeflateNegotiation.accept(List.of(new Request(false, 9)), "permessage-deflate")
                    .isEmpty());
        }
    }
}
