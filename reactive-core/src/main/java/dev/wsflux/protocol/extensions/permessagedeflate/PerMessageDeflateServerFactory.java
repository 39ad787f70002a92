package dev.wsflux.protocol.extensions.permessagedeflate;

import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.NegotiationException;
import dev.wsflux.protocol.extensions.ServerExtensionFactory;
import dev.wsflux.protocol.http11.ExtensionOffer;
import java.util.List;

/**
 * Accepts a client's permessage-deflate offer and builds the extension
 * (<a href="https://www.rfc-editor.org/rfc/rfc7692#section-5">RFC 7692 §5</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc7692#section-7.1">§7.1</a>). Immutable and thread-safe:
 * one factory serves every connection of a server.
 *
 * <pre>
 * Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits    (offer)
 * Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12; client_max_window_bits=12
 * </pre>
 *
 * <p>The server honours every valid offer: any window a client asks for is kept to (see
 * {@link PerMessageDeflate}), and the context takeover parameters only ever make the server do less.
 * It declines an offer (returns {@code null}) only when an extension accepted earlier already uses
 * RSV1. An invalid offer (an unknown or duplicated parameter, a value out of range) throws
 * {@link NegotiationException} saying what is wrong; following RFC 7692 §7 ("a server MUST decline an
 * extension negotiation offer" with such a parameter), {@link ServerProtocol} treats it as a decline and
 * records the reason in {@link ServerProtocol#declinedOffers()}. The answer follows
 * {@link PerMessageDeflateOptions}; with the {@linkplain PerMessageDeflateOptions#serverDefaults()
 * server defaults} it limits both windows to 12 bits, so that the context of an idle connection is
 * 8 KiB of heap and no native memory.
 */
public final class PerMessageDeflateServerFactory implements ServerExtensionFactory {
    private final PerMessageDeflateOptions options;

    private PerMessageDeflateServerFactory(PerMessageDeflateOptions options) {
        this.options = options;
    }

    /** A factory with the {@linkplain PerMessageDeflateOptions#serverDefaults() server defaults}. */
    public static PerMessageDeflateServerFactory create() {
        return of(PerMessageDeflateOptions.serverDefaults());
    }

    /** A factory that answers offers according to {@code options}. */
    public static PerMessageDeflateServerFactory of(PerMessageDeflateOptions options) {
        return new PerMessageDeflateServerFactory(options);
    }

    /** Returns {@value PerMessageDeflate#NAME}. */
    @Override
    public String name() {
        return PerMessageDeflate.NAME;
    }

    /** The options this factory answers with. */
    public PerMessageDeflateOptions options() {
        return options;
    }

    /**
     * Accepts {@code offer}, or declines it when it is not permessage-deflate or when an accepted
     * extension already uses RSV1.
     *
     * @throws NegotiationException when the offer has an unknown or duplicated parameter, or a value out
     *     of range
     */
    @Override
    public Accepted accept(ExtensionOffer offer, List<Extension> accepted) {
        if (!PerMessageDeflate.NAME.equalsIgnoreCase(offer.name())) {
            return null;
        }
        PerMessageDeflateParameters request = PerMessageDeflateParameters.parse(offer.parameters(), false);
        if (PerMessageDeflate.rsv1User(accepted) != null) {
            return null;
        }
        PerMessageDeflateParameters answer = answer(request);
        int serverMaxWindowBits = answer.serverMaxWindowBits() == PerMessageDeflateParameters.ABSENT
                ? PerMessageDeflateOptions.MAX_WINDOW_BITS
                : answer.serverMaxWindowBits();
        int clientMaxWindowBits = answer.clientMaxWindowBits() == PerMessageDeflateParameters.ABSENT
                ? PerMessageDeflateOptions.MAX_WINDOW_BITS
                : answer.clientMaxWindowBits();
        ExtensionOffer response = answer.toOffer();
        PerMessageDeflate extension = new PerMessageDeflate(
                response,
                options,
                answer.serverNoContextTakeover(),
                serverMaxWindowBits,
                answer.clientNoContextTakeover(),
                clientMaxWindowBits);
        return new Accepted(response, extension);
    }

    private PerMessageDeflateParameters answer(PerMessageDeflateParameters request) {
        // §7.1.1.1: the server must answer server_no_context_takeover when offered, and "MAY include
        // the "server_no_context_takeover" extension parameter in an extension negotiation response even
        // if the extension negotiation offer being accepted by the extension negotiation response didn't
        // include" it.
        boolean serverNoContextTakeover = request.serverNoContextTakeover() || options.serverNoContextTakeover();
        // §7.1.1.2: offered, client_no_context_takeover is a hint the server "may either ignore ... or use
        // the parameter to avoid taking over the LZ77 sliding window unnecessarily by including" it. It is
        // echoed: the server can then release its inflater between messages.
        boolean clientNoContextTakeover = request.clientNoContextTakeover() || options.clientNoContextTakeover();
        return new PerMessageDeflateParameters(
                serverNoContextTakeover,
                clientNoContextTakeover,
                serverMaxWindowBits(request.serverMaxWindowBits()),
                clientMaxWindowBits(request.clientMaxWindowBits()));
    }

    /**
     * §7.1.2.1: offered, the answer has "the same or smaller value as the offer"; not offered, the server
     * "MAY include" it. It is included when the offer asks for it or when the server's own window is
     * below 15 bits.
     */
    private int serverMaxWindowBits(int offered) {
        int own = options.serverMaxWindowBits();
        if (offered == PerMessageDeflateParameters.ABSENT) {
            return own == PerMessageDeflateOptions.MAX_WINDOW_BITS ? PerMessageDeflateParameters.ABSENT : own;
        }
        return Math.min(offered, own);
    }

    /**
     * §7.1.2.2: the answer may only have client_max_window_bits when the offer has it, with "a value
     * equal to or smaller than the received value". It is included when the server asks for a window
     * below 15 bits, or to confirm a value the client offered.
     */
    private int clientMaxWindowBits(int offered) {
        Integer configured = options.clientMaxWindowBits();
        int own = configured == null ? PerMessageDeflateOptions.MAX_WINDOW_BITS : configured;
        if (offered == PerMessageDeflateParameters.ABSENT) {
            return PerMessageDeflateParameters.ABSENT;
        }
        if (offered == PerMessageDeflateParameters.NO_VALUE) {
            return own == PerMessageDeflateOptions.MAX_WINDOW_BITS ? PerMessageDeflateParameters.ABSENT : own;
        }
        return Math.min(offered, own);
    }
}
