package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHandshakeException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Response;
import java.net.URI;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectsTest {
    private static final URI CURRENT = URI.create("wss://example.com/chat?room=1");

    private static InvalidStatusException redirect(int status, String location) {
        Headers headers = location == null ? Headers.empty() : Headers.of("Location", location);
        return new InvalidStatusException(new Response(status, "Moved", headers, new byte[0]));
    }

    @Nested
    class WhatIsFollowed {
        @ParameterizedTest
        @ValueSource(ints = {301, 302, 303, 307, 308})
        void followsTheFiveRedirectStatuses(int status) {
            assertTrue(Redirects.isRedirect(redirect(status, "/x")));
        }

        @ParameterizedTest
        @ValueSource(ints = {300, 304, 305, 200, 404})
        void treatsOtherStatusesAsRejections(int status) {
            assertFalse(Redirects.isRedirect(redirect(status, "/x")));
        }

        @Test
        void needsALocation() {
            assertFalse(Redirects.isRedirect(redirect(302, null)));
            assertFalse(Redirects.isRedirect(new IllegalStateException()));
        }
    }

    @Nested
    class Targets {
        @ParameterizedTest
        @CsvSource({
            "/v2/chat, wss://example.com/v2/chat",
            "v2, wss://example.com/v2",
            "?room=2, wss://example.com/chat?room=2",
            "//other.example/chat, wss://other.example/chat",
            "wss://other.example:8443/x, wss://other.example:8443/x",
            "https://other.example/x, wss://other.example/x",
            "' /padded ', wss://example.com/padded",
        })
        void resolvesTheLocationAgainstTheCurrentUri(String location, String expected) {
            assertEquals(URI.create(expected), Redirects.target(CURRENT, redirect(302, location)));
        }

        @Test
        void readsHttpAsWsFromAPlainUri() {
            assertEquals(
                    URI.create("ws://b.example/x"),
                    Redirects.target(URI.create("ws://a.example/"), redirect(301, "http://b.example/x")));
        }

        @Test
        void refusesToLeaveTls() {
            InvalidStatusException redirect = redirect(302, "ws://example.com/chat");
            InvalidHandshakeException e =
                    assertThrows(InvalidHandshakeException.class, () -> Redirects.target(CURRENT, redirect));
            assertEquals(
                    "refused redirect from secure wss://example.com/chat?room=1 to non-secure ws://example.com/chat",
                    e.getMessage());
            assertSame(redirect, e.getCause());
            InvalidHandshakeException viaHttp = assertThrows(
                    InvalidHandshakeException.class, () -> Redirects.target(CURRENT, redirect(302, "http://x/")));
            assertTrue(viaHttp.getMessage().startsWith("refused redirect"), viaHttp.getMessage());
        }

        @Test
        void refusesNonWebSocketLocations() {
            InvalidHandshakeException e = assertThrows(
                    InvalidHandshakeException.class, () -> Redirects.target(CURRENT, redirect(302, "ftp://x/")));
            assertEquals("redirect 302 to a non-WebSocket location: ftp://x/", e.getMessage());
        }

        @Test
        void refusesMalformedLocations() {
            InvalidHandshakeException e = assertThrows(
                    InvalidHandshakeException.class, () -> Redirects.target(CURRENT, redirect(307, "ws://bad host/")));
            assertEquals("redirect 307 to an invalid location: ws://bad host/", e.getMessage());
        }
    }

    @Nested
    class Credentials {
        private final Headers headers = Headers.of("Authorization", "Bearer t", "Cookie", "s=1", "X-Trace", "7");

        @Test
        void areKeptOnTheSameOrigin() {
            URI next = URI.create("wss://EXAMPLE.com:443/other");
            assertSame(headers, Redirects.headersFor(CURRENT, next, headers));
        }

        @ParameterizedTest
        @ValueSource(strings = {"wss://other.example/chat", "wss://example.com:8443/chat"})
        void areDroppedWhenTheOriginChanges(String next) {
            Headers kept = Redirects.headersFor(CURRENT, URI.create(next), headers);
            assertEquals(Headers.of("X-Trace", "7"), kept);
        }

        @Test
        void areDroppedWhenTheSchemeChanges() {
            URI plain = URI.create("ws://example.com/");
            assertEquals(
                    Headers.of("X-Trace", "7"), Redirects.headersFor(plain, URI.create("wss://example.com/"), headers));
        }
    }

    @Test
    void knowsDefaultPorts() {
        assertEquals(80, Redirects.port(URI.create("ws://h/")));
        assertEquals(443, Redirects.port(URI.create("wss://h/")));
        assertEquals(8080, Redirects.port(URI.create("ws://h:8080/")));
    }
}
