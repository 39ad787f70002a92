package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.client.ProxyServer.Type;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyServerTest {

    @Nested
    class Parsing {
        @ParameterizedTest
        @CsvSource({
            "http://proxy.example:3128, HTTP, proxy.example, 3128",
            "HTTP://Proxy.Example, HTTP, Proxy.Example, 80",
            "proxy.example:3128, HTTP, proxy.example, 3128",
            "socks4://127.0.0.1, SOCKS4, 127.0.0.1, 1080",
            "socks4a://p:1081, SOCKS4A, p, 1081",
            "socks5://p:1082/, SOCKS5, p, 1082",
            "socks5h://[::1]:1083, SOCKS5H, ::1, 1083",
        })
        void readsTypeHostAndPort(String url, Type type, String host, int port) {
            ProxyServer proxy = ProxyServer.parse(url);
            assertEquals(type, proxy.type());
            assertEquals(host, proxy.host());
            assertEquals(port, proxy.port());
            assertNull(proxy.username());
            assertNull(proxy.password());
        }

        @Test
        void decodesPercentEncodedCredentials() {
            ProxyServer proxy = ProxyServer.parse("http://us%40er:p%3Ass+w@proxy:3128");
            assertEquals("us@er", proxy.username());
            assertEquals("p:ss+w", proxy.password());
        }

        @Test
        void readsAUserWithoutPassword() {
            ProxyServer proxy = ProxyServer.parse("socks5://alice@proxy");
            assertEquals("alice", proxy.username());
            assertNull(proxy.password());
        }

        @ParameterizedTest
        @CsvSource({
            "https://proxy:443, unsupported proxy scheme: https",
            "ftp://proxy, unsupported proxy scheme: ftp",
            "http://proxy:3128/path, must not have a path",
            "http://:3128, no host",
            "'http://a b', malformed proxy url",
        })
        void rejectsWhatItCannotUse(String url, String message) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProxyServer.parse(url));
            assertTrue(e.getMessage().contains(message), e.getMessage());
        }

        @Test
        void neverShowsThePasswordInAnError() {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> ProxyServer.parse("gopher://bob:hunter2@proxy:1"));
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            assertTrue(e.getMessage().contains("bob:****@proxy"), e.getMessage());
        }
    }

    @Nested
    class Validation {
        @Test
        void rejectsPortsOutOfRange() {
            assertThrows(IllegalArgumentException.class, () -> ProxyServer.of(Type.HTTP, "p", 0));
            assertThrows(IllegalArgumentException.class, () -> ProxyServer.of(Type.HTTP, "p", 65536));
        }

        @Test
        void rejectsAnEmptyHost() {
            assertThrows(IllegalArgumentException.class, () -> ProxyServer.of(Type.HTTP, "", 1));
        }

        @Test
        void rejectsAPasswordWithoutUser() {
            assertThrows(IllegalArgumentException.class, () -> new ProxyServer(Type.HTTP, "p", 1, null, "pw"));
        }
    }

    @Nested
    class Display {
        @Test
        void masksThePassword() {
            assertEquals(
                    "socks5h://u:****@[::1]:1080",
                    ProxyServer.parse("socks5h://u:secret@[::1]").toString());
            assertEquals("http://u@p:80", ProxyServer.parse("http://u@p").toString());
            assertEquals("socks4://p:9", ProxyServer.of(Type.SOCKS4, "p", 9).toString());
        }

        @Test
        void addsCredentials() {
            ProxyServer proxy = ProxyServer.of(Type.SOCKS5, "p", 9).withCredentials("u", "pw");
            assertEquals("u", proxy.username());
            assertEquals("pw", proxy.password());
        }
    }

    @Nested
    class Types {
        @Test
        void knowWhoResolvesTheHostName() {
            assertTrue(Type.HTTP.resolvesRemotely());
            assertTrue(Type.SOCKS4A.resolvesRemotely());
            assertTrue(Type.SOCKS5H.resolvesRemotely());
            assertFalse(Type.SOCKS4.resolvesRemotely());
            assertFalse(Type.SOCKS5.resolvesRemotely());
            assertEquals("socks5h", Type.SOCKS5H.scheme());
        }
    }
}
