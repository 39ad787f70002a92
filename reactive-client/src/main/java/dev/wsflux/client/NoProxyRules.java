package dev.wsflux.client;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts that bypass a proxy, parsed from a {@code no_proxy} value or from the JVM's
 * {@code http.nonProxyHosts}. Immutable and thread-safe.
 *
 * <p>{@code no_proxy} is a list separated by commas or spaces. Each entry is one of:
 *
 * <ul>
 *   <li>{@code *}: every host bypasses the proxy;
 *   <li>a domain, {@code example.com}, {@code .example.com} or {@code *.example.com}: that host and every
 *       host under it (leading dots and {@code *.} are ignored, as curl and Python's {@code urllib} do);
 *   <li>an IP literal, {@code 10.1.2.3} or {@code ::1} (brackets allowed);
 *   <li>a CIDR block, {@code 10.0.0.0/8} or {@code fd00::/8}, matching IP literal hosts in it;
 *   <li>any of the above followed by {@code :port}: matches that port only.
 * </ul>
 *
 * <p>Matching is case-insensitive and never resolves host names: a CIDR block only matches a host
 * given as an IP literal.
 */
final class NoProxyRules {
    private static final NoProxyRules NONE = new NoProxyRules(List.of(), false);

    private final List<Rule> rules;
    private final boolean everything;

    private NoProxyRules(List<Rule> rules, boolean everything) {
        this.rules = rules;
        this.everything = everything;
    }

    /** No host bypasses the proxy. */
    static NoProxyRules none() {
        return NONE;
    }

    /** Parses a {@code no_proxy} value; {@code null} or blank means no rule. */
    static NoProxyRules parse(String noProxy) {
        if (noProxy == null || noProxy.isBlank()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        boolean everything = false;
        for (String entry : noProxy.split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                everything = true;
            } else {
                rules.add(Rule.parse(entry.toLowerCase(Locale.ROOT)));
            }
        }
        return new NoProxyRules(List.copyOf(rules), everything);
    }

    /**
     * Parses the JVM's {@code http.nonProxyHosts}: patterns separated by {@code |}, each may start or end
     * with {@code *} ({@code *.example.com}, {@code 192.168.*}). Matching is on the host only.
     */
    static NoProxyRules parseJavaNonProxyHosts(String nonProxyHosts) {
        if (nonProxyHosts == null || nonProxyHosts.isBlank()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        for (String entry : nonProxyHosts.split("\\|")) {
            String pattern = entry.strip().toLowerCase(Locale.ROOT);
            if (pattern.isEmpty()) {
                continue;
            }
            if (pattern.startsWith("[") && pattern.endsWith("]")) {
                pattern = pattern.substring(1, pattern.length() - 1);
            }
            rules.add(new GlobRule(globToRegex(pattern)));
        }
        return new NoProxyRules(List.copyOf(rules), false);
    }

    /** Whether a connection to {@code host}:{@code port} bypasses the proxy. */
    boolean matches(String host, int port) {
        if (everything) {
            return true;
        }
        String name = stripBrackets(host.toLowerCase(Locale.ROOT));
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        byte[] address = ipLiteral(name);
        for (Rule rule : rules) {
            if (rule.matches(name, address, port)) {
                return true;
            }
        }
        return false;
    }

    /** Whether there is no rule at all. */
    boolean isEmpty() {
        return rules.isEmpty() && !everything;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The bytes of an IPv4 or IPv6 literal, or {@code null} for a host name. Never resolves a name. */
    static byte[] ipLiteral(String host) {
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            byte[] address = new byte[4];
            String[] octets = host.split("\\.");
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(octets[i]);
                if (octet > 255) {
                    return null;
                }
                address[i] = (byte) octet;
            }
            return address;
        }
        // Starting with a hex digit or ':' and holding a ':', InetAddress parses it as an IPv6 literal and
        // never falls back to a DNS lookup: an invalid one throws UnknownHostException at once.
        if (host.indexOf(':') < 0 || !host.matches("[0-9a-f:.]+(%[0-9a-z_.-]+)?")) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    private interface Rule {
        boolean matches(String host, byte[] address, int port);

        static Rule parse(String entry) {
            String rest = entry;
            int port = -1;
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close > 0 && rest.length() > close + 2 && rest.charAt(close + 1) == ':') {
                    port = parsePort(rest.substring(close + 2));
                }
                rest = rest.substring(1, close < 0 ? rest.length() : close);
            } else if (rest.indexOf(':') == rest.lastIndexOf(':') && rest.indexOf(':') >= 0) {
                // one colon: host:port (an IPv6 literal has several)
                int colon = rest.indexOf(':');
                port = parsePort(rest.substring(colon + 1));
                rest = rest.substring(0, colon);
            }
            int slash = rest.indexOf('/');
            if (slash >= 0) {
                byte[] network = ipLiteral(rest.substring(0, slash));
                Integer bits = parseInt(rest.substring(slash + 1));
                if (network != null && bits != null && bits >= 0 && bits <= network.length * 8) {
                    return new CidrRule(network, bits, port);
                }
                // not a valid block: keep it as a name that never matches a real host
                return new DomainRule(rest, port);
            }
            byte[] address = ipLiteral(rest);
            if (address != null) {
                return new CidrRule(address, address.length * 8, port);
            }
            while (rest.startsWith("*.") || rest.startsWith(".")) {
                rest = rest.substring(rest.charAt(0) == '*' ? 2 : 1);
            }
            return new DomainRule(rest, port);
        }

        private static int parsePort(String text) {
            Integer port = parseInt(text);
            return port == null ? -1 : port;
        }

        private static Integer parseInt(String text) {
            try {
                return Integer.valueOf(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private record DomainRule(String domain, int port) implements Rule {
        @Override
        public boolean matches(String host, byte[] address, int hostPort) {
            if (port >= 0 && port != hostPort) {
                return false;
            }
            return host.equals(domain) || host.endsWith("." + domain);
        }
    }

    private record CidrRule(byte[] network, int bits, int port) implements Rule {
        @Override
        public boolean matches(String host, byte[] address, int hostPort) {
            if (address == null || address.length != network.length) {
                return false;
            }
            if (port >= 0 && port != hostPort) {
                return false;
            }
            int total = network.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(total).subtract(BigInteger.ONE);
            mask = mask.shiftRight(bits).xor(mask);
            BigInteger a = new BigInteger(1, address).and(mask);
            BigInteger b = new BigInteger(1, network).and(mask);
            return a.equals(b);
        }
    }

    private record GlobRule(Pattern pattern) implements Rule {
        @Override
        public boolean matches(String host, byte[] address, int port) {
            return pattern.matcher(host).matches();
        }
    }
}
