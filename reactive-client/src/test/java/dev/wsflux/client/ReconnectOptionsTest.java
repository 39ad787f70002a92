package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHandshakeException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Response;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReconnectOptionsTest {

    private static InvalidStatusException status(int code) {
        return new InvalidStatusException(new Response(code, "x", Headers.empty(), new byte[0]));
    }

    @Nested
    class Backoff {
        @Test
        void followsTheWebSocketsSequence() {
            // Random(0).nextDouble() is 0.730967787376657: the first delay is 73 % of 5 s.
            ReconnectOptions.Backoff backoff = ReconnectOptions.defaults().newBackoff(new Random(0));
            assertEquals(Duration.ofNanos((long) (new Random(0).nextDouble() * 5e9)), backoff.next());
            long[] expectedMillis = {3100, 5015, 8115, 13130, 21245, 34375, 55620, 89993, 90000, 90000};
            for (long millis : expectedMillis) {
                assertEquals(millis, backoff.next().toMillis());
            }
            assertEquals(11, backoff.attempts());
        }

        @Test
        void drawsTheFirstDelayAnywhereInZeroToInitialDelay() {
            Random random = new Random(42);
            for (int i = 0; i < 1000; i++) {
                Duration first = ReconnectOptions.defaults().newBackoff(random).next();
                assertFalse(first.isNegative());
                assertTrue(first.compareTo(Duration.ofSeconds(5)) < 0, first.toString());
            }
        }

        @Test
        void usesCustomParameters() {
            ReconnectOptions options = ReconnectOptions.defaults()
                    .withBackoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(5), 2.0);
            ReconnectOptions.Backoff backoff = options.newBackoff(new Random(1));
            assertEquals(Duration.ZERO, backoff.next());
            assertEquals(Duration.ofSeconds(1), backoff.next());
            assertEquals(Duration.ofSeconds(2), backoff.next());
            assertEquals(Duration.ofSeconds(4), backoff.next());
            assertEquals(Duration.ofSeconds(5), backoff.next());
            assertEquals(Duration.ofSeconds(5), backoff.next());
        }

        @Test
        void rejectsNonsense() {
            ReconnectOptions d = ReconnectOptions.defaults();
            Duration s = Duration.ofSeconds(1);
            assertThrows(IllegalArgumentException.class, () -> d.withBackoff(s.negated(), s, s, 2));
            assertThrows(IllegalArgumentException.class, () -> d.withBackoff(s, s.negated(), s, 2));
            assertThrows(IllegalArgumentException.class, () -> d.withBackoff(s, s.multipliedBy(2), s, 2));
            assertThrows(IllegalArgumentException.class, () -> d.withBackoff(s, s, s, 1.0));
            assertThrows(IllegalArgumentException.class, () -> d.withBackoff(s, s, s, Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> d.withBackoff(s, s, s, Double.POSITIVE_INFINITY));
        }
    }

    @Nested
    class RetryPredicate {
        @Test
        void retriesIoErrorsAndTimeouts() {
            assertTrue(ReconnectOptions.isRetryable(new ConnectException("refused")));
            assertTrue(ReconnectOptions.isRetryable(new UnknownHostException("nowhere")));
            assertTrue(ReconnectOptions.isRetryable(new TimeoutException()));
            assertTrue(ReconnectOptions.isRetryable(new OpenTimeoutException("ws://h", Duration.ofSeconds(1))));
        }

        @Test
        void retriesAnEndOfStreamDuringTheHandshake() {
            assertTrue(ReconnectOptions.isRetryable(
                    new InvalidHandshakeException("connection closed during handshake", new EOFException())));
        }

        @ParameterizedTest
        @ValueSource(ints = {500, 502, 503, 504})
        void retriesTransientServerErrors(int code) {
            assertTrue(ReconnectOptions.isRetryable(status(code)));
            assertTrue(ReconnectOptions.isRetryable(new ProxyException(code, "proxy says " + code, null)));
        }

        @ParameterizedTest
        @ValueSource(ints = {400, 401, 403, 404, 407, 426, 429, 501, 505, 302})
        void neverRetriesOtherStatuses(int code) {
            assertFalse(ReconnectOptions.isRetryable(status(code)));
            assertFalse(ReconnectOptions.isRetryable(new ProxyException(code, "proxy says " + code, null)));
        }

        @Test
        void retriesAProxyThatCouldNotBeReached() {
            assertTrue(ReconnectOptions.isRetryable(new ProxyException(-1, "proxy down", new ConnectException())));
            assertFalse(ReconnectOptions.isRetryable(new ProxyException(-1, "socks auth failed", null)));
        }

        @Test
        void neverRetriesCertificateFailures() {
            SSLHandshakeException tls = new SSLHandshakeException("PKIX path building failed");
            tls.initCause(new CertificateException("untrusted"));
            assertFalse(ReconnectOptions.isRetryable(tls));
            assertFalse(ReconnectOptions.isRetryable(new IOException("wrapped", tls)));
        }

        @Test
        void neverRetriesProgrammingErrors() {
            assertFalse(ReconnectOptions.isRetryable(new IllegalArgumentException("bad uri")));
            assertFalse(ReconnectOptions.isRetryable(new InvalidHandshakeException("bad accept header")));
        }

        @Test
        void canBeReplaced() {
            ReconnectOptions always = ReconnectOptions.defaults().withRetryIf(e -> true);
            assertTrue(always.retryIf().test(status(403)));
            assertEquals(ReconnectOptions.DEFAULT_MAX_DELAY, always.maxDelay());
        }
    }
}
