package dev.wsflux.server;

import dev.wsflux.protocol.http11.BasicCredentials;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.Response;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * HTTP Basic authentication for the opening handshake (<a
 * href="https://www.rfc-editor.org/rfc/rfc7617">RFC 7617</a>), as a {@code processRequest} hook: a request
 * without valid credentials is answered {@code 401} with {@code WWW-Authenticate: Basic realm="…",
 * charset="UTF-8"}. Thread-safe if the credential check is.
 *
 * <pre>{@code
 * WebSocketServer.create().basicAuth("chat", (user, password) -> users.check(user, password))
 * }</pre>
 *
 * <p>Basic credentials travel in clear text: use it over TLS ({@code wss}).
 */
public final class BasicAuth {
    private BasicAuth() {}

    /**
     * A hook that lets requests with credentials accepted by {@code check} through (empty result) and
     * answers the others 401.
     *
     * @param realm the protection space shown to users
     * @param check tests a user name and password; must not block
     */
    public static Function<ServerRequest, Mono<Response>> processor(String realm, BiPredicate<String, String> check) {
        Objects.requireNonNull(check, "check");
        if (realm == null || realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("realm must not be null or contain quotes or backslashes: " + realm);
        }
        String challenge = "Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
        return request -> {
            String[] credentials = credentials(request.headers().get("Authorization"));
            if (credentials != null && check.test(credentials[0], credentials[1])) {
                return Mono.empty();
            }
            String text = credentials == null ? "Missing credentials" : "Invalid credentials";
            return Mono.just(request.respond(401, text, Headers.of("WWW-Authenticate", challenge)));
        };
    }

    /** The user-id and password of a Basic {@code Authorization} value; {@code null} when absent or malformed. */
    static String[] credentials(String authorization) {
        Map.Entry<String, String> credentials = BasicCredentials.parse(authorization);
        return credentials == null ? null : new String[] {credentials.getKey(), credentials.getValue()};
    }
}
