package dev.wsflux.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * permessage-deflate negotiation as Autobahn|Testsuite's fuzzing peers do it: the client's offers built
 * from {@code (requestNoContextTakeover, requestMaxWindowBits)} pairs, the server's acceptance of a
 * client's offer with the same pairs, and the checks on a server's response. Stateless and thread-safe.
 *
 * <p>See <a href="https://www.rfc-editor.org/rfc/rfc7692#section-7.1">RFC 7692 §7.1</a>.
 */
public final class DeflateNegotiation {

    /** The extension token. */
    public static final String NAME = "permessage-deflate";

    /**
     * One Autobahn parameter pair: as a client offer, it requests the server's parameters; as a server
     * acceptance, it requests the client's.
     *
     * @param noContextTakeover request {@code *_no_context_takeover}
     * @param maxWindowBits request {@code *_max_window_bits=N}, or 0 for no request
     */
    public record Request(boolean noContextTakeover, int maxWindowBits) {
        @Override
        public String toString() {
            return "(" + (noContextTakeover ? "True" : "False") + ", " + maxWindowBits + ")";
        }
    }

    /**
     * The agreed parameters of a connection.
     *
     * @param serverNoContextTakeover the server resets its compressor after each message
     * @param serverMaxWindowBits the server's LZ77 window, 8..15
     * @param clientNoContextTakeover the client resets its compressor after each message
     * @param clientMaxWindowBits the client's LZ77 window, 8..15
     */
    public record Agreed(
            boolean serverNoContextTakeover,
            int serverMaxWindowBits,
            boolean clientNoContextTakeover,
            int clientMaxWindowBits) {

        /** The codec of the peer when it plays the client. */
        public PerMessageDeflateCodec clientCodec() {
            return new PerMessageDeflateCodec(clientMaxWindowBits, clientNoContextTakeover, serverNoContextTakeover);
        }

        /** The codec of the peer when it plays the server. */
        public PerMessageDeflateCodec serverCodec() {
            return new PerMessageDeflateCodec(serverMaxWindowBits, serverNoContextTakeover, clientNoContextTakeover);
        }
    }

    private DeflateNegotiation() {}

    /** The client's {@code Sec-WebSocket-Extensions} value for a list of offers, in preference order. */
    public static String offerHeader(List<Request> offers) {
        List<String> elements = new ArrayList<>();
        for (Request offer : offers) {
            // The client always accepts the server's client_max_window_bits and client_no_context_takeover.
            StringBuilder element = new StringBuilder(NAME).append("; client_max_window_bits");
            if (offer.noContextTakeover()) {
                element.append("; server_no_context_takeover");
            }
            if (offer.maxWindowBits() != 0) {
                element.append("; server_max_window_bits=").append(offer.maxWindowBits());
            }
            elements.add(element.toString());
        }
        return String.join(", ", elements);
    }

    /**
     * Parses a {@code Sec-WebSocket-Extensions} value into its elements: extension name and parameters in
     * order (a parameter without value maps to {@code ""}).
     *
     * @throws IllegalArgumentException on a duplicate parameter or an empty name
     */
    public static List<Map.Entry<String, Map<String, String>>> parse(String header) {
        List<Map.Entry<String, Map<String, String>>> elements = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return elements;
        }
        for (String element : header.split(",")) {
            String[] parts = element.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty extension name in: " + header);
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim();
                int eq = param.indexOf('=');
                String key = (eq < 0 ? param : param.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : unquote(param.substring(eq + 1).trim());
                if (params.put(key, value) != null) {
                    throw new IllegalArgumentException("duplicate extension parameter " + key + " in: " + header);
                }
            }
            elements.add(Map.entry(name, params));
        }
        return elements;
    }

    /**
     * Checks the server's response against the client's offers and returns the agreed parameters.
     *
     * @throws IllegalArgumentException with the reason when the response is not a valid acceptance of any offer
     */
    public static Agreed checkResponse(List<Request> offers, String responseHeader) {
        List<Map.Entry<String, Map<String, String>>> elements = parse(responseHeader);
        if (elements.size() != 1 || !elements.get(0).getKey().equals(NAME)) {
            throw new IllegalArgumentException("expected exactly one permessage-deflate, got: " + responseHeader);
        }
        Map<String, String> params = elements.get(0).getValue();
        boolean serverNoContext = flag(params, "server_no_context_takeover");
        boolean clientNoContext = flag(params, "client_no_context_takeover");
        int serverBits = windowBits(params, "server_max_window_bits");
        int clientBits = windowBits(params, "client_max_window_bits");
        for (String key : params.keySet()) {
            if (!List.of(
                            "server_no_context_takeover",
                            "client_no_context_takeover",
                            "server_max_window_bits",
                            "client_max_window_bits")
                    .contains(key)) {
                throw new IllegalArgumentException("unknown permessage-deflate parameter in response: " + key);
            }
        }
        for (Request offer : offers) {
            // RFC 7692 §7.1.1.1: a server accepting server_no_context_takeover must include it;
            // §7.1.2.1: its server_max_window_bits must not exceed the requested value.
            boolean contextOk = !offer.noContextTakeover() || serverNoContext;
            boolean bitsOk = offer.maxWindowBits() == 0 || serverBits <= offer.maxWindowBits();
            if (contextOk && bitsOk) {
                return new Agreed(serverNoContext, serverBits, clientNoContext, clientBits);
            }
        }
        throw new IllegalArgumentException("response accepts none of the offers " + offers + ": " + responseHeader);
    }

    /**
     * The server's acceptance: the first acceptance pair (in order) that is valid for the first offer it
     * fits (in the client's order), as Autobahn's fuzzing server does.
     *
     * @return the response header value and the agreed parameters, or empty when nothing can be accepted
     */
    public static Optional<Map.Entry<String, Agreed>> accept(List<Request> acceptances, String offerHeader) {
        List<Map.Entry<String, Map<String, String>>> elements;
        try {
            elements = parse(offerHeader);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (Request acceptance : acceptances) {
            for (Map.Entry<String, Map<String, String>> element : elements) {
                if (!element.getKey().equals(NAME)) {
                    continue;
                }
                Optional<Map.Entry<String, Agreed>> accepted = acceptOne(acceptance, element.getValue());
                if (accepted.isPresent()) {
                    return accepted;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Map.Entry<String, Agreed>> acceptOne(Request acceptance, Map<String, String> offer) {
        boolean clientBitsOffered = offer.containsKey("client_max_window_bits");
        if (acceptance.maxWindowBits() != 0 && !clientBitsOffered) {
            return Optional.empty();
        }
        int serverBits;
        try {
            serverBits = windowBits(offer, "server_max_window_bits");
            if (clientBitsOffered && !offer.get("client_max_window_bits").isEmpty()) {
                windowBits(offer, "client_max_window_bits");
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean serverNoContext = offer.containsKey("server_no_context_takeover");
        StringBuilder response = new StringBuilder(NAME);
        if (serverNoContext) {
            response.append("; server_no_context_takeover");
        }
        if (offer.containsKey("server_max_window_bits")) {
            response.append("; server_max_window_bits=").append(serverBits);
        }
        if (acceptance.noContextTakeover()) {
            response.append("; client_no_context_takeover");
        }
        int clientBits = 15;
        if (acceptance.maxWindowBits() != 0) {
            clientBits = acceptance.maxWindowBits();
            response.append("; client_max_window_bits=").append(clientBits);
        }
        return Optional.of(Map.entry(
                response.toString(),
                new Agreed(serverNoContext, serverBits, acceptance.noContextTakeover(), clientBits)));
    }

    private static boolean flag(Map<String, String> params, String key) {
        String value = params.get(key);
        if (value != null && !value.isEmpty()) {
            throw new IllegalArgumentException(key + " takes no value, got: " + value);
        }
        return value != null;
    }

    private static int windowBits(Map<String, String> params, String key) {
        String value = params.get(key);
        if (value == null) {
            return 15;
        }
        try {
            int bits = Integer.parseInt(value);
            if (bits >= 8 && bits <= 15 && value.equals(Integer.toString(bits))) {
                return bits;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " must be 8..15, got: " + value);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }
}
