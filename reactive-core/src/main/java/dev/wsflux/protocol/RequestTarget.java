package dev.wsflux.protocol;

import dev.wsflux.protocol.http11.HttpSyntax;
import dev.wsflux.protocol.http11.InvalidHttpMessageException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.WebSocketUri;
import java.util.List;
import java.util.Locale;

/**
 * The checks a server makes on the request-target and the {@code Host} header of a handshake request
 * before anything else looks at it: what RFC 7230 §5.3–5.4 and RFC 3986's host grammar call invalid is
 * answered 400. Stateless and thread-safe.
 *
 * <p>The rules, each decided on its RFC sentence:
 *
 * <ul>
 *   <li>origin-form {@code /path?query} and absolute-form {@code http://host/path?query} are accepted. RFC
 *       7230 §5.3.2: "a server MUST accept the absolute-form in requests"; RFC 6455 §4.1 allows "an
 *       absolute http/https URI", and {@code ws}/{@code wss} name the same resource (RFC 6455 §3), so
 *       these four schemes are accepted (case-insensitively) and no other;
 *   <li>asterisk-form {@code *} only with {@code OPTIONS} (§5.3.4: "only used for a server-wide OPTIONS
 *       request") and authority-form {@code host:port} only with {@code CONNECT} (§5.3.3: "only used for
 *       CONNECT requests"); the method check then answers 405;
 *   <li>a {@code %} must start a percent-encoded octet (RFC 3986 §2.1: {@code pct-encoded = "%" HEXDIG
 *       HEXDIG}); a {@code #} is refused, since origin-form is {@code absolute-path [ "?" query ]} (§5.3.1)
 *       and a fragment is never sent (§5.1: "the target URI excludes the reference's fragment component, if
 *       any, since fragment identifiers are reserved for client-side processing"). Other
 *       characters outside RFC 3986 {@code pchar} ({@code {}|^`\"<>}) are left alone: browsers send
 *       {@code {}|^`} unencoded in queries (the WHATWG URL query percent-encode set), and the request line
 *       parser has already refused controls, spaces and bytes above {@code 0x7e};
 *   <li>user info in an absolute-form target is refused (RFC 7230 §2.7.1: "A sender MUST NOT generate the
 *       userinfo subcomponent (and its "@" delimiter) when an "http" URI reference is generated within a
 *       message as a request target or header field value"), as is an empty host ("A recipient that
 *       processes such a URI reference MUST reject it as invalid");
 *   <li>exactly one {@code Host} header, whose value is {@code uri-host [ ":" port ]} (§5.4: "A server MUST
 *       respond with a 400 (Bad Request) status code to any HTTP/1.1 request message that lacks a Host
 *       header field and to any request message that contains more than one Host header field or a Host
 *       header field with an invalid field-value"). The host follows RFC 3986 §3.2.2 exactly (an IPv6 or
 *       IPvFuture literal in brackets, or a reg-name of unreserved, sub-delims and pct-encoded characters,
 *       which includes IPv4 addresses) with two further refusals: an empty host (a {@code ws} URI always
 *       has one, and RFC 6455 §4.2.1 asks for "the server's authority") and a port above 65535. IPv6 zone
 *       identifiers (RFC 6874) are not part of RFC 3986's grammar and are refused;
 *   <li>an absolute-form target whose authority differs from {@code Host} (host compared
 *       case-insensitively, ports with the scheme's default filled in) is refused. This is stricter than RFC
 *       9112 §3.2.2, under which an origin server "MUST ignore the received Host header field (if any) and
 *       instead use the host information of the request-target": RFC 6455 §4.1 asks both to name the server,
 *       and when they disagree, a front end routing on one and a handler reading the other act on different
 *       servers. No client sends both and means different things.
 * </ul>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7230#section-5.3">RFC 7230 §5.3 Request Target</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7230#section-5.4">RFC 7230 §5.4 Host</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3986#section-3.2.2">RFC 3986 §3.2.2 Host</a>
 */
final class RequestTarget {
    /** RFC 3986 §2.3 unreserved (besides ALPHA and DIGIT) and §2.2 sub-delims: a reg-name's characters. */
    private static final String REG_NAME_CHARS = "-._~!$&'()*+,;=";

    private static final int MAX_PORT = 65535;

    private RequestTarget() {}

    /**
     * Checks the request-target and {@code Host} header of {@code request}.
     *
     * @throws InvalidHttpMessageException (400) with a short reason that quotes the offending value
     */
    static void check(Request request) {
        List<String> hosts = request.headers().all("Host");
        if (hosts.size() != 1) {
            throw bad(hosts.isEmpty() ? "missing Host header" : "more than one Host header: " + quote(hosts));
        }
        String host = hosts.get(0);
        if (!isHostAndPort(host)) {
            throw bad("invalid Host header: " + quote(host));
        }
        String target = request.path();
        if (target.startsWith("/")) {
            checkPathAndQuery(target, target);
        } else if (target.equals("*")) {
            if (!request.method().equals("OPTIONS")) {
                throw bad("asterisk-form request target is only for OPTIONS: " + quote(target));
            }
        } else if (schemeEnd(target) > 0) {
            checkAbsoluteForm(target, host);
        } else if (target.indexOf('/') < 0 && target.indexOf(':') > 0) {
            if (!request.method().equals("CONNECT")) {
                throw bad("authority-form request target is only for CONNECT: " + quote(target));
            }
        } else {
            throw bad("invalid request target: " + quote(target));
        }
    }

    /** absolute-form = absolute-URI; an http URI is {@code "http:" "//" authority path-abempty [ "?" query ]}. */
    private static void checkAbsoluteForm(String target, String host) {
        int colon = schemeEnd(target);
        String scheme = target.substring(0, colon).toLowerCase(Locale.ROOT);
        int defaultPort =
                switch (scheme) {
                    case "http", "ws" -> WebSocketUri.DEFAULT_PORT;
                    case "https", "wss" -> WebSocketUri.DEFAULT_SECURE_PORT;
                    default -> throw bad("unsupported scheme in request target: " + quote(target));
                };
        if (!target.startsWith("//", colon + 1)) {
            throw bad("invalid request target: " + quote(target));
        }
        int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < target.length() && "/?#".indexOf(target.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = target.substring(authorityStart, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            // The credentials are left out of the message: it is logged and sent back.
            String shown = target.substring(0, authorityStart) + "...@" + target.substring(authorityStart + at + 1);
            throw bad("user info in request target: " + quote(shown));
        }
        if (!isHostAndPort(authority)) {
            throw bad("invalid host in request target: " + quote(target));
        }
        checkPathAndQuery(target, target.substring(authorityEnd));
        if (!sameAuthority(authority, host, defaultPort)) {
            throw bad("request target " + quote(target) + " does not match Host " + quote(host));
        }
    }

    /** The path and query of a target: percent-encoding is valid, and there is no fragment. */
    private static void checkPathAndQuery(String target, String pathAndQuery) {
        for (int i = 0; i < pathAndQuery.length(); i++) {
            char c = pathAndQuery.charAt(i);
            if (c == '#') {
                throw bad("fragment in request target: " + quote(target));
            }
            if (c == '%' && !HttpSyntax.isPercentTriplet(pathAndQuery, i)) {
                throw bad("invalid percent-encoding in request target: " + quote(target));
            }
        }
    }

    /**
     * The index of the colon after an RFC 3986 §3.1 scheme followed by {@code //}, or -1: {@code scheme =
     * ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )}.
     */
    private static int schemeEnd(String target) {
        int colon = target.indexOf(':');
        if (colon <= 0 || !target.startsWith("//", colon + 1) || !isAlpha(target.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < colon; i++) {
            char c = target.charAt(i);
            if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') {
                return -1;
            }
        }
        return colon;
    }

    /** {@code uri-host [ ":" port ]} (RFC 7230 §5.4), with a non-empty host and a port up to 65535. */
    static boolean isHostAndPort(String value) {
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || !isIpLiteral(value.substring(1, close))) {
                return false;
            }
            String after = value.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                return false;
            }
            host = value.substring(0, close + 1);
            port = after.isEmpty() ? "" : after.substring(1);
        } else {
            int colon = value.lastIndexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            port = colon < 0 ? "" : value.substring(colon + 1);
            if (!isRegName(host)) {
                return false;
            }
        }
        return !host.isEmpty() && isPort(port);
    }

    /** IP-literal = "[" ( IPv6address / IPvFuture ) "]", here without its brackets. */
    private static boolean isIpLiteral(String literal) {
        if (literal.length() > 1 && (literal.charAt(0) == 'v' || literal.charAt(0) == 'V')) {
            return isIpvFuture(literal);
        }
        return HttpSyntax.isIpv6(literal);
    }

    /** IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ). */
    private static boolean isIpvFuture(String literal) {
        int dot = literal.indexOf('.');
        if (dot < 2 || dot == literal.length() - 1) {
            return false;
        }
        for (int i = 1; i < dot; i++) {
            if (!HttpSyntax.isHexDigit(literal.charAt(i))) {
                return false;
            }
        }
        for (int i = dot + 1; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (!isAlpha(c) && !isDigit(c) && REG_NAME_CHARS.indexOf(c) < 0 && c != ':') {
                return false;
            }
        }
        return true;
    }

    /** reg-name = *( unreserved / pct-encoded / sub-delims ); IPv4address is a reg-name too. */
    private static boolean isRegName(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '%') {
                if (!HttpSyntax.isPercentTriplet(host, i)) {
                    return false;
                }
                i += 2;
            } else if (!isAlpha(c) && !isDigit(c) && REG_NAME_CHARS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** port = *DIGIT (RFC 3986 §3.2.3), here at most 65535. */
    private static boolean isPort(String port) {
        if (port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (!isDigit(port.charAt(i))) {
                return false;
            }
        }
        return port.isEmpty() || Integer.parseInt(port) <= MAX_PORT;
    }

    /** Whether two valid {@code host [ ":" port ]} values name the same host and port. */
    private static boolean sameAuthority(String a, String b, int defaultPort) {
        return hostOf(a).equalsIgnoreCase(hostOf(b)) && portOf(a, defaultPort) == portOf(b, defaultPort);
    }

    private static String hostOf(String authority) {
        int portColon = portColon(authority);
        return portColon < 0 ? authority : authority.substring(0, portColon);
    }

    private static int portOf(String authority, int defaultPort) {
        int portColon = portColon(authority);
        return portColon < 0 || portColon == authority.length() - 1
                ? defaultPort
                : Integer.parseInt(authority.substring(portColon + 1));
    }

    /** The colon before the port of a valid authority, or -1. */
    private static int portColon(String authority) {
        int start = authority.startsWith("[") ? authority.indexOf(']') : 0;
        return authority.indexOf(':', start);
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String quote(String value) {
        return "\"" + HttpSyntax.printable(value) + "\"";
    }

    private static String quote(List<String> values) {
        return quote(String.join(", ", values));
    }

    private static InvalidHttpMessageException bad(String message) {
        return new InvalidHttpMessageException(400, message);
    }
}
