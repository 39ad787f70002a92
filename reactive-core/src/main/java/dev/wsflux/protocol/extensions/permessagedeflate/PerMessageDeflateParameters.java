package dev.wsflux.protocol.extensions.permessagedeflate;

import dev.wsflux.protocol.extensions.NegotiationException;
import dev.wsflux.protocol.http11.ExtensionOffer;
import dev.wsflux.protocol.http11.ExtensionParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parameters of one permessage-deflate offer or response, validated
 * (<a href="https://www.rfc-editor.org/rfc/rfc7692#section-7.1">RFC 7692 §7.1</a>). Immutable.
 *
 * <pre>Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=10</pre>
 *
 * @param serverNoContextTakeover {@code server_no_context_takeover} is present
 * @param clientNoContextTakeover {@code client_no_context_takeover} is present
 * @param serverMaxWindowBits the value of {@code server_max_window_bits}, or {@link #ABSENT}
 * @param clientMaxWindowBits the value of {@code client_max_window_bits}, {@link #NO_VALUE} when it has
 *     none (offers only), or {@link #ABSENT}
 */
record PerMessageDeflateParameters(
        boolean serverNoContextTakeover,
        boolean clientNoContextTakeover,
        int serverMaxWindowBits,
        int clientMaxWindowBits) {

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    /** A window parameter that is not there. */
    static final int ABSENT = 0;

    /** {@code client_max_window_bits} without a value, allowed in an offer only. */
    static final int NO_VALUE = -1;

    /**
     * Parses and validates the parameters of an offer or a response.
     *
     * <p>RFC 7692 §7: a server declines, and a client fails the connection on, "an extension parameter
     * not defined for use in an offer/response", "an extension parameter with an invalid value" and
     * "multiple extension parameters with the same name". Names are compared without regard to case.
     *
     * @param parameters the parameters, values unquoted
     * @param response {@code true} for a server's response, {@code false} for a client's offer
     * @throws NegotiationException when a parameter is unknown, duplicated, or has an invalid value
     */
    static PerMessageDeflateParameters parse(List<ExtensionParameter> parameters, boolean response) {
        String what = response ? "response" : "offer";
        boolean serverNoContextTakeover = false;
        boolean clientNoContextTakeover = false;
        int serverMaxWindowBits = ABSENT;
        int clientMaxWindowBits = ABSENT;
        List<String> seen = new ArrayList<>(parameters.size());
        for (ExtensionParameter parameter : parameters) {
            String name = parameter.name().toLowerCase(Locale.ROOT);
            if (seen.contains(name)) {
                throw invalid(what, "duplicate parameter " + parameter.name());
            }
            seen.add(name);
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER -> serverNoContextTakeover = flag(parameter, what);
                case CLIENT_NO_CONTEXT_TAKEOVER -> clientNoContextTakeover = flag(parameter, what);
                // §7.1.2.1: server_max_window_bits always has a value.
                case SERVER_MAX_WINDOW_BITS -> serverMaxWindowBits = windowBits(parameter, what, false);
                // §7.1.2.2: "This parameter has no value or a decimal integer value ..." in an offer;
                // in a response it "has a decimal integer value".
                case CLIENT_MAX_WINDOW_BITS -> clientMaxWindowBits = windowBits(parameter, what, !response);
                default -> throw invalid(what, "unknown parameter " + parameter);
            }
        }
        return new PerMessageDeflateParameters(
                serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits);
    }

    /** The parameters in the canonical order, as they go in a header. */
    List<ExtensionParameter> toList() {
        List<ExtensionParameter> list = new ArrayList<>(4);
        if (serverNoContextTakeover) {
            list.add(ExtensionParameter.of(SERVER_NO_CONTEXT_TAKEOVER));
        }
        if (clientNoContextTakeover) {
            list.add(ExtensionParameter.of(CLIENT_NO_CONTEXT_TAKEOVER));
        }
        if (serverMaxWindowBits != ABSENT) {
            list.add(ExtensionParameter.of(SERVER_MAX_WINDOW_BITS, Integer.toString(serverMaxWindowBits)));
        }
        if (clientMaxWindowBits == NO_VALUE) {
            list.add(ExtensionParameter.of(CLIENT_MAX_WINDOW_BITS));
        } else if (clientMaxWindowBits != ABSENT) {
            list.add(ExtensionParameter.of(CLIENT_MAX_WINDOW_BITS, Integer.toString(clientMaxWindowBits)));
        }
        return list;
    }

    /** This offer or response as a header element. */
    ExtensionOffer toOffer() {
        return new ExtensionOffer(PerMessageDeflate.NAME, toList());
    }

    // §7.1.1.1 and §7.1.1.2: "This extension parameter has no value."
    private static boolean flag(ExtensionParameter parameter, String what) {
        if (parameter.value() != null) {
            throw invalid(what, parameter.name() + " takes no value: " + parameter);
        }
        return true;
    }

    // §7.1.2: "a decimal integer value without leading zeroes between 8 to 15, inclusive"
    private static int windowBits(ExtensionParameter parameter, String what, boolean valueOptional) {
        String value = parameter.value();
        if (value == null) {
            if (valueOptional) {
                return NO_VALUE;
            }
            throw invalid(what, parameter.name() + " requires a value in " + article(what));
        }
        return switch (value) {
            case "8", "9", "10", "11", "12", "13", "14", "15" -> Integer.parseInt(value);
            default -> throw invalid(what, "invalid value " + parameter + ": expected 8 to 15 without leading zeroes");
        };
    }

    private static String article(String what) {
        return what.equals("offer") ? "an offer" : "a response";
    }

    private static NegotiationException invalid(String what, String detail) {
        return new NegotiationException("invalid permessage-deflate " + what + ": " + detail);
    }
}
