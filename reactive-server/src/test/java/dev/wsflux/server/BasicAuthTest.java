package dev.wsflux.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** RFC 7617 Basic authentication of the opening handshake. */
class BasicAuthTest {

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static ServerRequest request(String authorization) {
        Headers headers = authorization == null ? Headers.empty() : Headers.of("Authorization", authorization);
        return new ServerRequest(
                new Request("/chat?room=1", headers),
                null,
                ServerProtocol.builder().build());
    }

    @Test
    void parsesUserAndPasswordWhoseColonsBelongToThePassword() {
        assertArrayEquals(new String[] {"ann", "a:b"}, BasicAuth.credentials(basic("ann:a:b")));
        assertArrayEquals(
                new String[] {"ann", ""},
                BasicAuth.credentials("  bAsIc " + basic("ann:").substring(6)));
    }

    @Test
    void rejectsMissingOrMalformedCredentials() {
        assertNull(BasicAuth.credentials(null));
        assertNull(BasicAuth.credentials("Bearer abc"));
        assertNull(BasicAuth.credentials("Basic"));
        assertNull(BasicAuth.credentials("Basic !!!"));
        assertNull(BasicAuth.credentials(basic("no colon")));
    }

    @Test
    void answers401WithAChallengeUnlessTheCredentialsAreAccepted() {
        var hook = BasicAuth.processor("chat", (user, password) -> user.equals("ann") && password.equals("pw"));
        Response missing = hook.apply(request(null)).block();
        assertEquals(401, missing.status());
        assertEquals(
                "Basic realm=\"chat\", charset=\"UTF-8\"", missing.headers().get("WWW-Authenticate"));
        assertEquals("Missing credentials\n", missing.bodyText());
        assertEquals(
                "Invalid credentials\n",
                hook.apply(request(basic("ann:no"))).block().bodyText());
        assertNull(hook.apply(request(basic("ann:pw"))).block());
    }

    @Test
    void aRealmWithQuotesIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> BasicAuth.processor("a\"b", (u, p) -> true));
        assertThrows(IllegalArgumentException.class, () -> BasicAuth.processor(null, (u, p) -> true));
    }

    @Test
    void theServerRequestSplitsPathAndQuery() {
        ServerRequest request = request(null);
        assertEquals("/chat", request.path());
        assertEquals("room=1", request.query());
        assertNull(new ServerRequest(
                        new Request("/x", Headers.empty()),
                        null,
                        ServerProtocol.builder().build())
                .query());
        assertEquals(200, request.respond(200, "OK").status());
        assertEquals(
                "1",
                request.respond(403, "no", Headers.of("X-Why", "1")).headers().get("X-Why"));
        assertEquals("ServerRequest[GET /chat?room=1 from null]", request.toString());
    }
}
