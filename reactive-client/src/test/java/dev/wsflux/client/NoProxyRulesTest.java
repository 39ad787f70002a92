package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoProxyRulesTest {

    @Nested
    class NoProxyVariable {
        @ParameterizedTest(name = "no_proxy=\"{0}\" exempts {1}:{2}: {3}")
        @CsvSource(
                delimiter = '|',
                value = {
                    "example.com | example.com | 80 | true",
                    "example.com | EXAMPLE.com. | 80 | true",
                    "example.com | api.example.com | 80 | true",
                    "example.com | badexample.com | 80 | false",
                    ".example.com | example.com | 80 | true",
                    ".example.com | a.b.example.com | 80 | true",
                    "*.example.com | a.example.com | 80 | true",
                    "example.com:8080 | example.com | 8080 | true",
                    "example.com:8080 | example.com | 80 | false",
                    "a.test, example.com | example.com | 1 | true",
                    "a.test   example.com | example.com | 1 | true",
                    "* | anything.at.all | 1 | true",
                    "a.test,* | anything | 1 | true",
                    "10.0.0.0/8 | 10.200.3.4 | 1 | true",
                    "10.0.0.0/8 | 11.0.0.1 | 1 | false",
                    "10.0.0.0/8 | ten.example | 1 | false",
                    "192.168.1.0/24:443 | 192.168.1.9 | 443 | true",
                    "192.168.1.0/24:443 | 192.168.1.9 | 80 | false",
                    "127.0.0.1 | 127.0.0.1 | 5 | true",
                    "127.0.0.1 | 127.0.0.2 | 5 | false",
                    "::1 | [::1] | 5 | true",
                    "[::1]:5 | ::1 | 5 | true",
                    "[::1]:5 | ::1 | 6 | false",
                    "fd00::/8 | fd12::1 | 5 | true",
                    "fd00::/8 | fe80::1 | 5 | false",
                    "fd00::/8 | 10.0.0.1 | 5 | false",
                    "0.0.0.0/0 | 203.0.113.7 | 5 | true",
                    "10.0.0.0/33 | 10.0.0.1 | 5 | false",
                    "10.0.0.0/x | 10.0.0.1 | 5 | false",
                    "localhost:notaport | localhost | 5 | true",
                })
        void matchesLikeCurlAndUrllib(String noProxy, String host, int port, boolean exempt) {
            assertTrue(NoProxyRules.parse(noProxy).matches(host, port) == exempt);
        }

        @Test
        void anEmptyValueExemptsNothing() {
            assertTrue(NoProxyRules.parse(null).isEmpty());
            assertTrue(NoProxyRules.parse("  ").isEmpty());
            assertTrue(NoProxyRules.parse(" , ").isEmpty());
            assertFalse(NoProxyRules.none().matches("localhost", 80));
            assertFalse(NoProxyRules.parse("*").isEmpty());
        }
    }

    @Nested
    class JavaNonProxyHosts {
        @ParameterizedTest(name = "http.nonProxyHosts=\"{0}\" exempts {1}: {2}")
        @CsvSource(
                delimiter = ',',
                value = {
                    "localhost|127.*|[::1], localhost, true",
                    "localhost|127.*|[::1], 127.0.0.1, true",
                    "localhost|127.*|[::1], ::1, true",
                    "localhost|127.*|[::1], example.com, false",
                    "*.example.com, a.example.com, true",
                    "*.example.com, example.com, false",
                    "intranet*, intranet.local, true",
                    "' a | b ', b, true",
                })
        void matchesGlobs(String patterns, String host, boolean exempt) {
            assertTrue(NoProxyRules.parseJavaNonProxyHosts(patterns).matches(host, 1) == exempt);
        }

        @Test
        void anEmptyValueExemptsNothing() {
            assertTrue(NoProxyRules.parseJavaNonProxyHosts("").isEmpty());
            assertTrue(NoProxyRules.parseJavaNonProxyHosts("||").isEmpty());
        }
    }

    @Nested
    class IpLiterals {
        @Test
        void neverResolveHostNames() {
            assertNull(NoProxyRules.ipLiteral("localhost"));
            assertNull(NoProxyRules.ipLiteral("999.1.1.1"));
            assertNull(NoProxyRules.ipLiteral("not:an:ip:zz"));
        }
    }
}
