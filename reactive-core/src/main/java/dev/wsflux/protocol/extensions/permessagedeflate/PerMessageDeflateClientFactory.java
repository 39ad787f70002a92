package dev.wsflux.protocol.extensions.permessagedeflate;

import dev.wsflux.protocol.extensions.ClientExtensionFactory;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.NegotiationException;
import dev.wsflux.protocol.http11.ExtensionOffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Offers permessage-deflate in a client's handshake and builds the extension from the server's answer
 * (<a href="https://www.rfc-editor.org/rfc/rfc7692#section-5">RFC 7692 §5</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc7692#section-7.1">§7.1</a>). Immutable and thread-safe:
 * one factory serves every connection of a client.
 *
 * <p>Each {@link PerMessageDeflateOptions} is one offer, most preferred first; RFC 7692 §5: "A client
 * may also offer multiple PMCE choices to the server by including multiple elements in the
 * Sec-WebSocket-Extensions header, one for each PMCE offered." For example, a client that prefers a
 * small server window and no client context, and falls back to the defaults:
 *
 * <pre>{@code
 * PerMessageDeflateOptions small = PerMessageDeflateOptions.builder()
 *         .clientNoContextTakeover(true).serverMaxWindowBits(9).build();
 * PerMessageDeflateClientFactory.of(small, PerMessageDeflateOptions.clientDefaults());
 * // Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover;
 * //     server_max_window_bits=9; client_max_window_bits,
 * //     permessage-deflate; client_max_window_bits
 * }</pre>
 *
 * <p>The server's response is matched against the offers in order and the first it answers decides the
 * settings (compression level and threshold included); a response that answers none fails the
 * handshake with {@link NegotiationException}, which the client turns into a failed connection (1010).
 */
public final class PerMessageDeflateClientFactory implements ClientExtensionFactory {
    private final List<PerMessageDeflateOptions> options;
    private final List<ExtensionOffer> offers;

    private PerMessageDeflateClientFactory(List<PerMessageDeflateOptions> options) {
        if (options.isEmpty()) {
            throw new IllegalArgumentException("permessage-deflate needs at least one offer");
        }
        this.options = List.copyOf(options);
        List<ExtensionOffer> list = new ArrayList<>(options.size());
        for (PerMessageDeflateOptions offer : this.options) {
            list.add(toParameters(offer).toOffer());
        }
        this.offers = List.copyOf(list);
    }

    /** A factory that offers the {@linkplain PerMessageDeflateOptions#clientDefaults() client defaults}. */
    public static PerMessageDeflateClientFactory create() {
        return of(PerMessageDeflateOptions.clientDefaults());
    }

    /**
     * A factory that makes one offer per options value, in the given order.
     *
     * @throws IllegalArgumentException when no options are given
     */
    public static PerMessageDeflateClientFactory of(PerMessageDeflateOptions... offers) {
        return new PerMessageDeflateClientFactory(List.of(offers));
    }

    /**
     * A factory that makes one offer per options value, in the given order.
     *
     * @throws IllegalArgumentException when the list is empty
     */
    public static PerMessageDeflateClientFactory of(List<PerMessageDeflateOptions> offers) {
        return new PerMessageDeflateClientFactory(offers);
    }

    /** Returns {@value PerMessageDeflate#NAME}. */
    @Override
    public String name() {
        return PerMessageDeflate.NAME;
    }

    /** One offer per options value, in order, e.g. {@code permessage-deflate; client_max_window_bits}. */
    @Override
    public List<ExtensionOffer> offers() {
        return offers;
    }

    /** The options of each offer, in order. */
    public List<PerMessageDeflateOptions> options() {
        return options;
    }

    /**
     * Builds the extension from the server's response.
     *
     * @throws NegotiationException when the response is not permessage-deflate, has an invalid
     *     parameter, answers none of the offers, or another accepted extension already uses RSV1
     */
    @Override
    public Extension accept(ExtensionOffer response, List<Extension> accepted) {
        if (!PerMessageDeflate.NAME.equalsIgnoreCase(response.name())) {
            throw new NegotiationException("not a permessage-deflate response: " + response);
        }
        Extension rsv1User = PerMessageDeflate.rsv1User(accepted);
        if (rsv1User != null) {
            throw new NegotiationException(
                    "permessage-deflate cannot use rsv1: " + rsv1User.name() + " already uses it");
        }
        PerMessageDeflateParameters answer = PerMessageDeflateParameters.parse(response.parameters(), true);
        List<String> reasons = new ArrayList<>(options.size());
        for (PerMessageDeflateOptions offer : options) {
            String reason = mismatch(toParameters(offer), answer);
            if (reason == null) {
                return build(offer, answer);
            }
            reasons.add(reason);
        }
        if (reasons.size() == 1) {
            throw new NegotiationException("unacceptable permessage-deflate response: " + reasons.get(0));
        }
        StringBuilder message = new StringBuilder("permessage-deflate response matches none of the ")
                .append(reasons.size())
                .append(" offers:");
        for (int i = 0; i < reasons.size(); i++) {
            message.append(' ')
                    .append(i + 1)
                    .append(". ")
                    .append(reasons.get(i))
                    .append(';');
        }
        message.setLength(message.length() - 1);
        throw new NegotiationException(message.toString());
    }

    /** The parameters of the offer that {@code options} makes. */
    static PerMessageDeflateParameters toParameters(PerMessageDeflateOptions options) {
        Integer clientBits = options.clientMaxWindowBits();
        int clientMaxWindowBits;
        if (clientBits == null) {
            clientMaxWindowBits = PerMessageDeflateParameters.ABSENT;
        } else if (clientBits == PerMessageDeflateOptions.MAX_WINDOW_BITS) {
            clientMaxWindowBits = PerMessageDeflateParameters.NO_VALUE;
        } else {
            clientMaxWindowBits = clientBits;
        }
        int serverBits = options.serverMaxWindowBits();
        return new PerMessageDeflateParameters(
                options.serverNoContextTakeover(),
                options.clientNoContextTakeover(),
                serverBits == PerMessageDeflateOptions.MAX_WINDOW_BITS
                        ? PerMessageDeflateParameters.ABSENT
                        : serverBits,
                clientMaxWindowBits);
    }

    /** Why {@code answer} does not accept {@code offer}, or {@code null} when it does. */
    private static String mismatch(PerMessageDeflateParameters offer, PerMessageDeflateParameters answer) {
        // §7.1.1.1: "A server accepts an extension negotiation offer that includes the
        // "server_no_context_takeover" extension parameter by including the "server_no_context_takeover"
        // extension parameter in the corresponding extension negotiation response". The server may add
        // it, and client_no_context_takeover, to any response.
        if (offer.serverNoContextTakeover() && !answer.serverNoContextTakeover()) {
            return "server_no_context_takeover was offered but the response lacks it";
        }
        // §7.1.2.1: "A server accepts an extension negotiation offer with this parameter by including the
        // "server_max_window_bits" extension parameter in the extension negotiation response to send back
        // to the client with the same or smaller value as the offer."
        int offeredServerBits = offer.serverMaxWindowBits();
        if (offeredServerBits != PerMessageDeflateParameters.ABSENT) {
            if (answer.serverMaxWindowBits() == PerMessageDeflateParameters.ABSENT) {
                return "server_max_window_bits=" + offeredServerBits + " was offered but the response lacks it";
            }
            if (answer.serverMaxWindowBits() > offeredServerBits) {
                return "server_max_window_bits=" + answer.serverMaxWindowBits() + " exceeds the offered "
                        + offeredServerBits;
            }
        }
        // §7.1.2.2: "If a received extension negotiation offer doesn't have the "client_max_window_bits"
        // extension parameter, the corresponding extension negotiation response to the offer MUST NOT
        // include the "client_max_window_bits" extension parameter." An answer above the offered value
        // does not limit the window the offer announced; it shows that the server misread the offer.
        int answerClientBits = answer.clientMaxWindowBits();
        if (answerClientBits != PerMessageDeflateParameters.ABSENT) {
            if (offer.clientMaxWindowBits() == PerMessageDeflateParameters.ABSENT) {
                return "client_max_window_bits=" + answerClientBits + " was not offered";
            }
            if (offer.clientMaxWindowBits() != PerMessageDeflateParameters.NO_VALUE
                    && answerClientBits > offer.clientMaxWindowBits()) {
                return "client_max_window_bits=" + answerClientBits + " exceeds the offered "
                        + offer.clientMaxWindowBits();
            }
        }
        return null;
    }

    private static PerMessageDeflate build(PerMessageDeflateOptions offer, PerMessageDeflateParameters answer) {
        // The client keeps to its own offer even when the server leaves a parameter out: it offered
        // client_no_context_takeover as a promise (§7.1.1.2: "the client is not going to use context
        // takeover") and a client_max_window_bits value as a limit it keeps to.
        boolean localNoContextTakeover = answer.clientNoContextTakeover() || offer.clientNoContextTakeover();
        int localMaxWindowBits = offer.clientMaxWindowBits() == null
                ? PerMessageDeflateOptions.MAX_WINDOW_BITS
                : offer.clientMaxWindowBits();
        if (answer.clientMaxWindowBits() != PerMessageDeflateParameters.ABSENT) {
            localMaxWindowBits = Math.min(localMaxWindowBits, answer.clientMaxWindowBits());
        }
        int remoteMaxWindowBits = answer.serverMaxWindowBits() == PerMessageDeflateParameters.ABSENT
                ? PerMessageDeflateOptions.MAX_WINDOW_BITS
                : answer.serverMaxWindowBits();
        return new PerMessageDeflate(
                answer.toOffer(),
                offer,
                localNoContextTakeover,
                localMaxWindowBits,
                answer.serverNoContextTakeover(),
                remoteMaxWindowBits);
    }
}
