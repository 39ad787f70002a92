package dev.wsflux.protocol.http11;

import java.util.Locale;

/**
 * The syntax of HTTP/1.1 messages and URIs that the handshake uses, in one place: tokens, field values,
 * optional whitespace (<a href="https://www.rfc-editor.org/rfc/rfc7230#section-3.2">RFC 7230 §3.2</a>), IP
 * literals and percent-encoding (<a href="https://www.rfc-editor.org/rfc/rfc3986#section-3.2.2">RFC 3986</a>),
 * and how to quote a peer's text in an error message. Stateless; thread-safe.
 */
public final class HttpSyntax {

    /** The most message bytes quoted in an error message. */
    static final int MAX_QUOTED = 80;

    /** RFC 7230 §3.2.6: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA. */
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[Character.toUpperCase(c)] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HttpSyntax() {}

    /** Whether {@code c} is a tchar (RFC 7230 §3.2.6). */
    public static boolean isTokenChar(char c) {
        return c < 128 && TCHAR[c];
    }

    /** Whether {@code text} is a token: {@code 1*tchar} (RFC 7230 §3.2.6). */
    public static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code c} may appear in a header value or a reason phrase: HTAB, SP, VCHAR or obs-text
     * (RFC 7230 §3.2 {@code field-vchar}, §3.1.2 {@code reason-phrase}).
     */
    public static boolean isFieldChar(char c) {
        return c == '\t' || (c >= ' ' && c != 0x7f && c <= 0xff);
    }

    /** Whether every character of {@code text} is a field character ({@link #isFieldChar}). */
    public static boolean isFieldText(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isFieldChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether every character of {@code text} is visible US-ASCII, {@code %x21-7E}, as in a request target. */
    public static boolean isVisibleAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** OWS = *( SP / HTAB ) (RFC 7230 §3.2.3). */
    public static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Checks that {@code text} is a token.
     *
     * @param what what the text is, for the message
     * @param text the text
     * @throws IllegalArgumentException if it is not a token
     */
    public static void requireToken(String what, String text) {
        if (!isToken(text)) {
            throw new IllegalArgumentException(what + " isn't a token: " + printable(text));
        }
    }

    /**
     * {@code text} made safe for an error message: at most {@value #MAX_QUOTED} characters, control
     * characters, quotes, backslashes and characters above {@code U+007E} escaped as {@code \xNN} (or
     * {@code \\uNNNN}).
     */
    public static String printable(String text) {
        StringBuilder result = new StringBuilder();
        int length = Math.min(text.length(), MAX_QUOTED);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= ' ' && c < 0x7f && c != '"' && c != '\\') {
                result.append(c);
            } else if (c <= 0xff) {
                result.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                result.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return text.length() > MAX_QUOTED ? result.append("...").toString() : result.toString();
    }

    /**
     * IPv6address (RFC 3986 §3.2.2): eight groups of 1–4 hex digits separated by colons, where one
     * "::" stands for one or more groups of zeros and the last two groups may be an IPv4 address.
     */
    public static boolean isIpv6(String address) {
        int elision = address.indexOf("::");
        if (elision >= 0 && address.indexOf("::", elision + 1) >= 0) {
            return false;
        }
        String head = elision < 0 ? address : address.substring(0, elision);
        String tail = elision < 0 ? "" : address.substring(elision + 2);
        String[] headGroups = head.isEmpty() ? new String[0] : head.split(":", -1);
        String[] tailGroups = tail.isEmpty() ? new String[0] : tail.split(":", -1);
        String[] last = elision < 0 ? headGroups : tailGroups;
        int groups = 0;
        for (String[] part : new String[][] {headGroups, tailGroups}) {
            for (int i = 0; i < part.length; i++) {
                if (part == last && i == part.length - 1 && isIpv4(part[i])) {
                    groups += 2;
                } else if (isHexGroup(part[i])) {
                    groups++;
                } else {
                    return false;
                }
            }
        }
        return elision < 0 ? groups == 8 : groups <= 7;
    }

    private static boolean isHexGroup(String group) {
        return !group.isEmpty() && group.length() <= 4 && group.chars().allMatch(c -> isHexDigit((char) c));
    }

    /** IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet, without leading zeros. */
    public static boolean isIpv4(String address) {
        String[] octets = address.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty()
                    || octet.length() > 3
                    || (octet.length() > 1 && octet.charAt(0) == '0')
                    || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} has a pct-encoded triplet ({@code "%" HEXDIG HEXDIG}, RFC 3986 §2.1) at {@code index}. */
    public static boolean isPercentTriplet(String text, int index) {
        return index + 2 < text.length() && isHexDigit(text.charAt(index + 1)) && isHexDigit(text.charAt(index + 2));
    }

    /** Whether {@code c} is a hexadecimal digit. */
    public static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
