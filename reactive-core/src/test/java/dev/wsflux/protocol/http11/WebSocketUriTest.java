package dev.wsflux.protocol.http11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebSocketUriTest {

    /** RFC 6455 §3: ws and wss, case-insensitive, and nothing else. */
    @Nested
    class Schemes {
        @Test
        void wsIsPlainWithPort80() {
            assertEquals(
                    new WebSocketUri(false, "example.com", 80, "/chat", null, null),
                    WebSocketUri.parse("ws://example.com/chat"));
        }

        @Test
        void wssIsSecureWithPort443() {
            assertEquals(
                    new WebSocketUri(true, "example.com", 443, "/chat", null, null),
                    WebSocketUri.parse("wss://example.com/chat"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"WS://example.com/", "Ws://example.com/", "WSS://example.com/", "wsS://example.com/"})
        void isCaseInsensitive(String uri) {
            assertEquals("example.com", WebSocketUri.parse(uri).host());
        }

        @ParameterizedTest
        @CsvSource(
                delimiterString = " -> ",
                quoteCharacter = '"',
                ignoreLeadingAndTrailingWhitespace = false,
                value = {
                    "http://example.com/ -> scheme isn't ws or wss: http",
                    "https://example.com/ -> scheme isn't ws or wss: https",
                    "wsx://example.com/ -> scheme isn't ws or wss: wsx",
                    "://example.com/ -> scheme isn't ws or wss: ",
                    "example.com/chat -> missing scheme",
                })
        void rejectsOtherSchemes(String uri, String message) {
            InvalidUriException e = assertThrows(InvalidUriException.class, () -> WebSocketUri.parse(uri));

            assertEquals(uri, e.uri());
            assertEquals(uri + " isn't a valid WebSocket URI: " + message, e.getMessage());
        }

        @Test
        void stripsSurroundingWhitespace() {
            assertEquals(WebSocketUri.parse("ws://example.com/"), WebSocketUri.parse(" \tws://example.com/\n"));
        }
    }

    /** RFC 3986 §3.2.2: reg-names, IPv4 and IPv6 literals. */
    @Nested
    class Hosts {
        @ParameterizedTest
        @CsvSource({
            "ws://example.com, example.com",
            "ws://Example.COM/, Example.COM",
            "ws://my_host.local/, my_host.local",
            "ws://127.0.0.1:8080/, 127.0.0.1",
            "ws://localhost:8080/, localhost",
            "ws://[::1]/, ::1",
            "ws://[::1]:8080/, ::1",
            "ws://[2001:db8::7]/, 2001:db8::7",
            "ws://[2001:DB8:0:0:8:800:200C:417A]/, 2001:DB8:0:0:8:800:200C:417A",
            "ws://[::ffff:192.0.2.128]/, ::ffff:192.0.2.128",
            "ws://[1:2:3:4:5:6:192.0.2.128]/, 1:2:3:4:5:6:192.0.2.128",
            "ws://[1:2:3:4:5:6:7::]/, 1:2:3:4:5:6:7::",
            "ws://[::]/, ::",
            "ws://ex%61mple.com/, example.com",
            "ws://b\u00fccher.example/, xn--bcher-kva.example",
            "ws://b%C3%BCcher.example/, xn--bcher-kva.example",
            "ws://user@example.com/, example.com",
        })
        void areParsed(String uri, String host) {
            assertEquals(host, WebSocketUri.parse(uri).host());
        }

        @ParameterizedTest
        @CsvSource(
                delimiterString = " -> ",
                quoteCharacter = '"',
                value = {
                    "ws:example.com -> missing host",
                    "ws:/example.com -> missing host",
                    "ws:// -> missing host",
                    "ws:///chat -> missing host",
                    "ws://:8080/ -> missing host",
                    "ws://user:pass@/ -> missing host",
                    "ws://exa mple.com/ -> invalid host: exa mple.com",
                    "ws://a<b/ -> invalid host: a<b",
                    "ws://a%2Fb/ -> invalid host: a%2Fb",
                    "ws://a:b:c/ -> invalid host: a:b",
                    "ws://::1/ -> invalid host: :",
                    "ws://[::1/ -> invalid IPv6 address: [::1",
                    "ws://[::1]x/ -> invalid IPv6 address: [::1]x",
                    "ws://[]/ -> invalid IPv6 address: []",
                    "ws://[1::2::3]/ -> invalid IPv6 address: [1::2::3]",
                    "ws://[:::]/ -> invalid IPv6 address: [:::]",
                    "ws://[12345::]/ -> invalid IPv6 address: [12345::]",
                    "ws://[g::]/ -> invalid IPv6 address: [g::]",
                    "ws://[1:2:3:4:5:6:7:8:9]/ -> invalid IPv6 address: [1:2:3:4:5:6:7:8:9]",
                    "ws://[1:2:3:4:5:6:7]/ -> invalid IPv6 address: [1:2:3:4:5:6:7]",
                    "ws://[1:2:3:4:5:6:7:8::]/ -> invalid IPv6 address: [1:2:3:4:5:6:7:8::]",
                    "ws://[1:2:3:4:5:6:7:]/ -> invalid IPv6 address: [1:2:3:4:5:6:7:]",
                    "ws://[:1:2:3:4:5:6:7]/ -> invalid IPv6 address: [:1:2:3:4:5:6:7]",
                    "ws://[::256.0.0.1]/ -> invalid IPv6 address: [::256.0.0.1]",
                    "ws://[::01.0.0.1]/ -> invalid IPv6 address: [::01.0.0.1]",
                    "ws://[::1.2.3]/ -> invalid IPv6 address: [::1.2.3]",
                    "ws://[::1..2.3]/ -> invalid IPv6 address: [::1..2.3]",
                    "ws://[::1.2.3.1234]/ -> invalid IPv6 address: [::1.2.3.1234]",
                    "ws://[::1.2.3.x]/ -> invalid IPv6 address: [::1.2.3.x]",
                    "ws://[::1.2.3.+1]/ -> invalid IPv6 address: [::1.2.3.+1]",
                    "ws://[\uff11::]/ -> invalid IPv6 address: [\uff11::]",
                    "ws://[1.2.3.4::]/ -> invalid IPv6 address: [1.2.3.4::]",
                    "ws://[1:2:3:4:5:6:7:1.2.3.4]/ -> invalid IPv6 address: [1:2:3:4:5:6:7:1.2.3.4]",
                    "ws://[fe80::1%25eth0]/ -> invalid IPv6 address: [fe80::1%25eth0]",
                    "ws://xn--a\u0300.example/ -> invalid internationalized host: xn--a\u0300.example",
                    "ws://ex%ample.com/ -> invalid percent-encoding: %ample.com",
                    "ws://%FF.example/ -> percent-encoding isn't UTF-8: %FF.example",
                })
        void rejectsInvalidHosts(String uri, String message) {
            InvalidUriException e = assertThrows(InvalidUriException.class, () -> WebSocketUri.parse(uri));

            assertEquals(uri + " isn't a valid WebSocket URI: " + message, e.getMessage());
        }
    }

    @Nested
    class Ports {
        @ParameterizedTest
        @CsvSource({
            "ws://example.com:8080/, 8080",
            "wss://example.com:8443/, 8443",
            "ws://example.com:443/, 443",
            "wss://example.com:80/, 80",
            "ws://example.com:1/, 1",
            "ws://example.com:65535/, 65535",
            "ws://example.com:08080/, 8080",
            "ws://example.com:/, 80",
            "wss://example.com:/, 443",
            "wss://[::1]:/, 443",
        })
        void areParsedWithDefaultsWhenEmpty(String uri, int port) {
            assertEquals(port, WebSocketUri.parse(uri).port());
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "65536", "99999", "123456", "8a", "-1", "+80", " 80"})
        void rejectsInvalidPorts(String port) {
            InvalidUriException e =
                    assertThrows(InvalidUriException.class, () -> WebSocketUri.parse("ws://example.com:" + port + "/"));

            assertTrue(e.getMessage().endsWith("invalid port: " + port), e.getMessage());
        }
    }

    /** RFC 6455 §3: path and query make the resource name. */
    @Nested
    class ResourceNames {
        @ParameterizedTest
        @CsvSource({
            "ws://example.com, /",
            "ws://example.com/, /",
            "ws://example.com/chat, /chat",
            "ws://example.com/a/b/, /a/b/",
            "ws://example.com?x=1, /?x=1",
            "ws://example.com/chat?, /chat",
            "ws://example.com/chat?room=1&user=2, /chat?room=1&user=2",
            "ws://example.com/a?b=/c?d, /a?b=/c?d",
            "ws://example.com/a%20b?c%2Fd, /a%20b?c%2Fd",
            "ws://example.com/a b, /a%20b",
            "ws://example.com/caf\u00e9?q=\u00e9, /caf%C3%A9?q=%C3%A9",
            "ws://example.com/\uD83D\uDE00, /%F0%9F%98%80",
        })
        void arePathAndQueryPercentEncoded(String uri, String resourceName) {
            assertEquals(resourceName, WebSocketUri.parse(uri).resourceName());
        }

        @Test
        void keepsEveryCharacterThatRfc3986AllowsInPathAndQuery() {
            String allowed = "/~a-b_c.d!$&'()*+,;=:@/?/";

            assertEquals(
                    allowed, WebSocketUri.parse("ws://example.com" + allowed).resourceName());
        }

        @Test
        void encodesTheAsciiCharactersThatRfc3986Forbids() {
            assertEquals(
                    "/%3C%22%60%5E%7B%7C%7D%3E%5B%5D%5C%20x",
                    WebSocketUri.parse("ws://example.com/<\"`^{|}>[]\\ x").resourceName());
        }

        @ParameterizedTest
        @CsvSource({
            "ws://example.com/a%zz, invalid percent-encoding: %zz",
            "ws://example.com/a%2, invalid percent-encoding: %2",
            "ws://example.com/?a=%, invalid percent-encoding: %",
            "ws://example.com/%G0, invalid percent-encoding: %G0",
            "ws://example.com/%0g, invalid percent-encoding: %0g",
            "ws://example.com/%.0, invalid percent-encoding: %.0",
        })
        void rejectsMalformedPercentEncoding(String uri, String message) {
            InvalidUriException e = assertThrows(InvalidUriException.class, () -> WebSocketUri.parse(uri));

            assertTrue(e.getMessage().endsWith(message), e.getMessage());
        }

        @Test
        void rejectsControlCharacters() {
            InvalidUriException newline =
                    assertThrows(InvalidUriException.class, () -> WebSocketUri.parse("ws://example.com/a\r\nX: y"));
            InvalidUriException delete =
                    assertThrows(InvalidUriException.class, () -> WebSocketUri.parse("ws://example.com/?\u007f"));

            assertTrue(newline.getMessage().endsWith("control character 0x0d"), newline.getMessage());
            assertTrue(delete.getMessage().endsWith("control character 0x7f"), delete.getMessage());
        }

        @Test
        void rejectsUnpairedSurrogates() {
            InvalidUriException e =
                    assertThrows(InvalidUriException.class, () -> WebSocketUri.parse("ws://example.com/\uD83D"));

            assertTrue(e.getMessage().endsWith("unpaired surrogate"), e.getMessage());
        }
    }

    /** RFC 6455 §3: "Fragment identifiers ... MUST NOT be used on these URIs". */
    @Nested
    class Fragments {
        @ParameterizedTest
        @ValueSource(
                strings = {"ws://example.com/#frag", "ws://example.com/#", "ws://example.com#x", "ws://example.com/?a#b"
                })
        void areRejected(String uri) {
            InvalidUriException e = assertThrows(InvalidUriException.class, () -> WebSocketUri.parse(uri));

            assertTrue(e.getMessage().contains("fragment isn't allowed: #"), e.getMessage());
        }

        @Test
        void anEscapedHashIsNotAFragment() {
            assertEquals("/a%23b", WebSocketUri.parse("ws://example.com/a%23b").resourceName());
        }
    }

    /** User info becomes Basic credentials (RFC 7617). */
    @Nested
    class UserInfo {
        @Test
        void givesUserPasswordAndAuthorization() {
            WebSocketUri uri = WebSocketUri.parse("wss://Aladdin:open%20sesame@example.com/");

            assertEquals("Aladdin", uri.user());
            assertEquals("open sesame", uri.password());
            assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", uri.authorization());
        }

        @Test
        void isPercentDecodedAsUtf8() {
            WebSocketUri uri = WebSocketUri.parse("ws://us%40er:p%3Ass%C2%A3@example.com/");

            assertEquals("us@er", uri.user());
            assertEquals("p:ss\u00a3", uri.password());
        }

        @Test
        void takesTheLastAtSignAsTheEndOfTheUserInfo() {
            WebSocketUri uri = WebSocketUri.parse("ws://user:p@ss@example.com/");

            assertEquals("p@ss", uri.password());
            assertEquals("example.com", uri.host());
        }

        @Test
        void mayHaveAUserWithoutPassword() {
            WebSocketUri uri = WebSocketUri.parse("ws://user@example.com/");

            assertEquals("user", uri.user());
            assertNull(uri.password());
            assertEquals(BasicCredentials.encode("user", ""), uri.authorization());
        }

        @Test
        void isAbsentWithoutAtSignOrWhenEmpty() {
            for (String text : new String[] {"ws://example.com/", "ws://@example.com/"}) {
                WebSocketUri uri = WebSocketUri.parse(text);

                assertNull(uri.user(), text);
                assertNull(uri.password(), text);
                assertNull(uri.authorization(), text);
            }
        }

        @ParameterizedTest
        @CsvSource(
                delimiterString = " -> ",
                quoteCharacter = '"',
                value = {
                    "ws://a%3Ab:c@example.com/ -> user info can't be sent: user-id contains a colon: a:b",
                    "ws://a:b%00@example.com/ -> user info can't be sent: credentials contain a control character",
                    "ws://a:%FF@example.com/ -> percent-encoding isn't UTF-8: %FF",
                    "ws://a:%F@example.com/ -> invalid percent-encoding: %F",
                })
        void rejectsCredentialsThatBasicAuthenticationCannotCarry(String uri, String message) {
            InvalidUriException e = assertThrows(InvalidUriException.class, () -> WebSocketUri.parse(uri));

            assertEquals(uri + " isn't a valid WebSocket URI: " + message, e.getMessage());
        }
    }

    /** The Host header (RFC 6455 §4.1) and the URI back. */
    @Nested
    class Rendering {
        @ParameterizedTest
        @CsvSource({
            "ws://example.com/, example.com",
            "ws://example.com:80/, example.com",
            "ws://example.com:443/, example.com:443",
            "wss://example.com:443/, example.com",
            "wss://example.com:80/, example.com:80",
            "wss://example.com:8443/, example.com:8443",
            "ws://[::1]/, [::1]",
            "ws://[::1]:8080/, [::1]:8080",
        })
        void hostHeaderHasThePortUnlessItIsTheDefault(String uri, String host) {
            assertEquals(host, WebSocketUri.parse(uri).hostHeader());
        }

        @Test
        void toUriDropsTheUserInfoAndDefaultPort() {
            WebSocketUri uri = WebSocketUri.parse("WSS://user:secret@[::1]:443/a%20b?c=d");

            assertEquals(URI.create("wss://[::1]/a%20b?c=d"), uri.toUri());
            assertEquals("wss://[::1]/a%20b?c=d", uri.toString());
            assertFalse(uri.toString().contains("secret"));
        }

        @Test
        void toUriKeepsAnotherPort() {
            assertEquals(
                    URI.create("ws://example.com:8080/"),
                    WebSocketUri.parse("ws://example.com:8080").toUri());
        }

        @Test
        void ofParsesAJavaUri() {
            assertEquals(
                    WebSocketUri.parse("ws://u:p@example.com:8080/a?b"),
                    WebSocketUri.of(URI.create("ws://u:p@example.com:8080/a?b")));
        }

        @Test
        void ofRejectsAFragment() {
            assertThrows(InvalidUriException.class, () -> WebSocketUri.of(URI.create("ws://example.com/#a")));
        }

        @Test
        void parsingTheRenderedUriGivesTheSameUriWithoutUserInfo() {
            WebSocketUri uri = WebSocketUri.parse("wss://u@b\u00fccher.example:8443/caf\u00e9?x=%20");

            assertEquals(
                    new WebSocketUri(true, uri.host(), 8443, uri.resourceName(), null, null),
                    WebSocketUri.of(uri.toUri()));
        }

        @Test
        void defaultPortDependsOnTheScheme() {
            assertEquals(80, WebSocketUri.parse("ws://example.com:8080/").defaultPort());
            assertEquals(443, WebSocketUri.parse("wss://example.com:8443/").defaultPort());
        }
    }

    /** The canonical constructor keeps every instance valid. */
    @Nested
    class Construction {
        @Test
        void acceptsValidComponents() {
            WebSocketUri uri = new WebSocketUri(false, "::1", 8080, "/a%20b?c", "user", "pass");

            assertEquals("[::1]:8080", uri.hostHeader());
            assertEquals(BasicCredentials.encode("user", "pass"), uri.authorization());
        }

        @Test
        void rejectsInvalidComponents() {
            assertInvalid("invalid host: ", new Construct(false, "", 80, "/", null, null));
            assertInvalid("invalid host: a b", new Construct(false, "a b", 80, "/", null, null));
            assertInvalid("invalid host: ::1::", new Construct(false, "::1::", 80, "/", null, null));
            assertInvalid("invalid port: 0", new Construct(false, "a", 0, "/", null, null));
            assertInvalid("invalid port: 65536", new Construct(false, "a", 65536, "/", null, null));
            assertInvalid("invalid resource name: ", new Construct(false, "a", 80, "", null, null));
            assertInvalid("invalid resource name: chat", new Construct(false, "a", 80, "chat", null, null));
            assertInvalid("invalid resource name: /a b", new Construct(false, "a", 80, "/a b", null, null));
            assertInvalid("invalid resource name: /a%2", new Construct(false, "a", 80, "/a%2", null, null));
            assertInvalid("invalid resource name: /a%g0", new Construct(false, "a", 80, "/a%g0", null, null));
            assertInvalid("invalid resource name: /#", new Construct(false, "a", 80, "/#", null, null));
            assertInvalid("invalid resource name: /\\xe9", new Construct(false, "a", 80, "/\u00e9", null, null));
            assertInvalid("password without user", new Construct(false, "a", 80, "/", null, "p"));
            assertInvalid("user-id contains a colon: a:b", new Construct(false, "a", 80, "/", "a:b", null));
            assertInvalid("credentials contain a control character", new Construct(false, "a", 80, "/", "a", "\n"));
        }

        @Test
        void requiresHostAndResourceName() {
            assertThrows(NullPointerException.class, () -> new WebSocketUri(false, null, 80, "/", null, null));
            assertThrows(NullPointerException.class, () -> new WebSocketUri(false, "a", 80, null, null, null));
        }

        private record Construct(
                boolean secure, String host, int port, String resourceName, String user, String password) {}

        private void assertInvalid(String message, Construct c) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new WebSocketUri(c.secure(), c.host(), c.port(), c.resourceName(), c.user(), c.password()));

            assertEquals(message, e.getMessage());
        }
    }
}
