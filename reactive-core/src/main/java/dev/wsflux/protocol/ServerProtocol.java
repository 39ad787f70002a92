package dev.wsflux.protocol;

import dev.wsflux.protocol.codec.HttpParser;
import dev.wsflux.protocol.codec.HttpSerializer;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.NegotiationException;
import dev.wsflux.protocol.extensions.ServerExtensionFactory;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.InvalidStateException;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.http11.ExtensionOffer;
import dev.wsflux.protocol.http11.HeaderLists;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHandshakeException;
import dev.wsflux.protocol.http11.InvalidHeaderException;
import dev.wsflux.protocol.http11.InvalidHttpMessageException;
import dev.wsflux.protocol.http11.InvalidOriginException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.ReasonPhrases;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import dev.wsflux.protocol.http11.UserAgent;
import dev.wsflux.protocol.http11.WebSocketKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The server side of a WebSocket connection, without I/O.
 *
 * <pre>{@code
 * ServerProtocol protocol = ServerProtocol.builder().subprotocols(List.of("chat")).build();
 * protocol.receiveData(read());                 // GET /chat HTTP/1.1 ...
 * Request request = (Request) protocol.eventsReceived().get(0);
 * protocol.sendResponse(protocol.accept(request));   // HTTP/1.1 101 Switching Protocols ...
 * write(protocol.dataToSend());
 * }</pre>
 *
 * <p>{@link #accept(Request)} answers a failed check with the status a browser or tool can act on: 400
 * (bad request, failed negotiation), 403 (origin), 405 (method, with {@code Allow: GET}), 426 (not an
 * upgrade or wrong version, with {@code Upgrade: websocket} or {@code Sec-WebSocket-Version: 13}). A request
 * that is not valid HTTP/1.1 is answered as soon as it is received, before {@link #accept(Request)}: 400, 414,
 * 431 or 505 from the request parser ({@link HttpParser}), and 400 for a request-target or {@code Host} header
 * that RFC 7230 §5.3–5.4 calls invalid: a target that is neither origin-form ({@code /chat?room=1}) nor
 * absolute-form ({@code http://example.com/chat}, matching {@code Host}), a fragment, user info or malformed
 * percent-encoding in it, and a missing, repeated or malformed {@code Host} (RFC 3986 host and port). The
 * asterisk-form of {@code OPTIONS *} and the authority-form of {@code CONNECT} go on to the 405 of the method
 * check.
 *
 * <p>Not thread-safe. Implements the server's requirements of
 * <a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.2">RFC 6455 §4.2</a>.
 */
public final class ServerProtocol extends Protocol {
    private static final String UPGRADE = "Upgrade";
    private static final String WEBSOCKET = "websocket";
    private static final String CONNECTION = "Connection";
    private static final String SEC_WEBSOCKET_ACCEPT = "Sec-WebSocket-Accept";
    private static final String SEC_WEBSOCKET_EXTENSIONS = "Sec-WebSocket-Extensions";
    private static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";
    private static final String SERVER = "Server";
    private static final String SWITCHING_PROTOCOLS = ReasonPhrases.of(101);
    /** The body of a 101: empty, so one array serves every response. */
    private static final byte[] NO_BODY = new byte[0];

    /** A server never masks (RFC 6455 §5.1): one shared, never-used key source. */
    private static final MaskKeySource NO_MASK_KEYS = MaskKeySource.fixed(0);

    private final List<String> origins;
    private final boolean allowNoOrigin;
    private final List<Pattern> originPatterns;
    private final boolean checkOrigin;
    private final List<String> subprotocols;
    private final SubprotocolSelector selector;
    private final List<ServerExtensionFactory> extensionFactories;
    private final String serverHeader;
    /**
     * The parser of the handshake request; {@code null} once it returned the request or failed, so that its
     * line buffer isn't kept for the life of the connection.
     */
    private HttpParser requestParser = HttpParser.forRequests();

    // Made on the first declined offer: most connections decline none.
    private List<String> declinedOffers = List.of();
    private boolean requestReceived;

    private List<Extension> acceptedExtensions = List.of();
    private String acceptedSubprotocol;

    private ServerProtocol(Builder builder) {
        super(false, builder.maxSize, builder.maxFrameSize, builder.deferClose, NO_MASK_KEYS, builder.observer);
        List<String> exact = new ArrayList<>();
        boolean noOrigin = false;
        for (String origin : builder.origins) {
            if (origin == null) {
                noOrigin = true;
            } else {
                exact.add(origin);
            }
        }
        this.origins = List.copyOf(exact);
        this.allowNoOrigin = noOrigin;
        this.originPatterns = List.copyOf(builder.originPatterns);
        this.checkOrigin = builder.checkOrigin;
        this.subprotocols = List.copyOf(builder.subprotocols);
        this.selector = builder.selector;
        this.extensionFactories = List.copyOf(builder.extensions);
        this.serverHeader = builder.serverHeader;
    }

    /** A builder with the defaults: every origin allowed, no subprotocols, no extensions. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    void receiveHandshake(ByteBuffer data) {
        if (requestReceived || handshakeException != null) {
            keepUnparsed(data);
            return;
        }
        Event request;
        try {
            request = requestParser.feed(data);
            if (request != null) {
                // Before any hook or route sees it: a request-target or Host that RFC 7230 calls invalid is a 400.
                RequestTarget.check((Request) request);
            }
        } catch (InvalidHttpMessageException e) {
            requestParser = null;
            handshakeException = e;
            sendResponse(reject(e.status(), "Failed to open a WebSocket connection: " + e.getMessage() + "."));
            return;
        }
        if (request != null) {
            requestParser = null;
            requestReceived = true;
            addEvent(request);
            // 4.1: the client "MUST wait for the server's handshake response before sending any further data";
            // keep anything that arrived anyway and parse it once the connection is open.
            keepUnparsed(data);
        }
    }

    @Override
    void receiveHandshakeEof() {
        if (handshakeException == null) {
            handshakeException = new InvalidHttpMessageException(400, "connection closed during the opening handshake");
        }
    }

    /**
     * Checks the handshake request and builds the response: {@code 101 Switching Protocols} with the
     * negotiated extensions and subprotocol, or an error response, in which case
     * {@link #handshakeException()} tells why. Send it with {@link #sendResponse(Response)}; a hook may
     * change it first.
     */
    public Response accept(Request request) {
        List<Extension> negotiated = new ArrayList<>();
        try {
            String key = checkRequest(request);
            List<ExtensionOffer> responses = negotiateExtensions(request, negotiated);
            String subprotocol = selectSubprotocol(request);
            closeAll(acceptedExtensions);
            acceptedExtensions = negotiated;
            acceptedSubprotocol = subprotocol;
            return switchingProtocols(key, responses, subprotocol);
        } catch (InvalidHandshakeException e) {
            closeAll(negotiated);
            handshakeException = e;
            return rejection(e);
        }
    }

    private String checkRequest(Request request) {
        // 4.2.1: "An HTTP/1.1 or higher GET request"
        if (!request.method().equals("GET")) {
            throw new RejectedException(405, "method not allowed: " + request.method(), "Allow", "GET");
        }
        Headers headers = request.headers();
        // "A |Host| header field containing the server's authority."
        if (headers.all("Host").size() != 1) {
            throw new RejectedException(400, "expected one Host header", null, null);
        }
        // "An |Upgrade| header field containing the value "websocket""
        List<String> upgrade = HeaderLists.parseUpgrade(headers);
        if (upgrade.stream().noneMatch("websocket"::equalsIgnoreCase)) {
            throw new RejectedException(
                    426, "not a WebSocket upgrade: Upgrade: " + String.join(", ", upgrade), "Upgrade", "websocket");
        }
        // "A |Connection| header field that includes the token "Upgrade""
        List<String> connection = HeaderLists.parseTokenList(headers, "Connection");
        if (connection.stream().noneMatch("upgrade"::equalsIgnoreCase)) {
            throw new RejectedException(
                    426,
                    "not a WebSocket upgrade: Connection: " + String.join(", ", connection),
                    "Upgrade",
                    "websocket");
        }
        // "A |Sec-WebSocket-Key| header field with a base64-encoded value that, when decoded, is 16 bytes"
        List<String> keys = headers.all("Sec-WebSocket-Key");
        if (keys.size() != 1 || !WebSocketKey.isValid(keys.get(0))) {
            throw new InvalidHeaderException(
                    "Sec-WebSocket-Key",
                    keys.isEmpty() ? null : String.join(", ", keys),
                    "expected 16 bytes in base64");
        }
        // "A |Sec-WebSocket-Version| header field, with a value of 13." 4.4: otherwise answer with the
        // versions the server supports.
        List<String> versions = headers.all("Sec-WebSocket-Version");
        if (versions.size() != 1 || !versions.get(0).trim().equals("13")) {
            throw new RejectedException(
                    426,
                    versions.isEmpty()
                            ? "missing Sec-WebSocket-Version header"
                            : "unsupported Sec-WebSocket-Version: " + String.join(", ", versions),
                    "Sec-WebSocket-Version",
                    "13");
        }
        checkOrigin(headers);
        return keys.get(0);
    }

    private void checkOrigin(Headers headers) {
        if (!checkOrigin) {
            return;
        }
        List<String> values = headers.all("Origin");
        if (values.size() > 1) {
            throw new InvalidHeaderException("Origin", String.join(", ", values), "more than one Origin header");
        }
        String origin = values.isEmpty() ? null : values.get(0);
        boolean allowed = origin == null
                ? allowNoOrigin
                : origins.contains(origin)
                        || originPatterns.stream()
                                .anyMatch(pattern -> pattern.matcher(origin).matches());
        // 10.2: "If the server does not validate the origin, it will accept connections from anywhere."
        if (!allowed) {
            throw new InvalidOriginException(origin);
        }
    }

    private List<ExtensionOffer> negotiateExtensions(Request request, List<Extension> negotiated) {
        List<ExtensionOffer> responses = new ArrayList<>();
        if (extensionFactories.isEmpty()) {
            return responses;
        }
        // 9.1: the server accepts offers in the client's order; the first acceptable offer of an extension wins.
        for (ExtensionOffer offer : HeaderLists.parseExtensions(request.headers())) {
            if (negotiated.stream().anyMatch(extension -> extension.name().equals(offer.name()))) {
                continue;
            }
            for (ServerExtensionFactory factory : extensionFactories) {
                if (!factory.name().equals(offer.name())) {
                    continue;
                }
                ServerExtensionFactory.Accepted accepted;
                try {
                    accepted = factory.accept(offer, List.copyOf(negotiated));
                } catch (NegotiationException e) {
                    // RFC 7692 §7: "A server MUST decline an extension negotiation offer for this extension if"
                    // a parameter is unknown, has an invalid value or is duplicated. Declining lets the
                    // client's next offer, or no compression at all, win; the reason is kept for the logs.
                    if (declinedOffers.isEmpty()) {
                        declinedOffers = new ArrayList<>(2);
                    }
                    declinedOffers.add(offer + ": " + e.getMessage());
                    continue;
                }
                if (accepted != null) {
                    responses.add(accepted.response());
                    negotiated.add(accepted.extension());
                    break;
                }
            }
        }
        return responses;
    }

    private String selectSubprotocol(Request request) {
        List<String> offered = HeaderLists.parseSubprotocols(request.headers());
        if (selector != null) {
            String selected = selector.select(request, offered);
            if (selected != null && !offered.contains(selected)) {
                throw new NegotiationException("selected subprotocol was not offered: " + selected);
            }
            return selected;
        }
        if (subprotocols.isEmpty()) {
            return null;
        }
        if (offered.isEmpty()) {
            throw new NegotiationException("missing subprotocol; expected one of " + String.join(", ", subprotocols));
        }
        // The server's preference order decides among the subprotocols both sides support.
        for (String subprotocol : subprotocols) {
            if (offered.contains(subprotocol)) {
                return subprotocol;
            }
        }
        throw new NegotiationException("invalid subprotocol; expected one of " + String.join(", ", subprotocols));
    }

    private Response switchingProtocols(String key, List<ExtensionOffer> extensionResponses, String subprotocol) {
        // 4.2.2: the server's opening handshake. The session keeps the response for its whole life, so its
        // fields go straight into one array of the exact size, and the constant ones are shared strings.
        String extensions = extensionResponses.isEmpty() ? null : HeaderLists.formatExtensions(extensionResponses);
        int lines = 3 + (extensions == null ? 0 : 1) + (subprotocol == null ? 0 : 1) + (serverHeader == null ? 0 : 1);
        String[] fields = new String[2 * lines];
        fields[0] = UPGRADE;
        fields[1] = WEBSOCKET;
        fields[2] = CONNECTION;
        fields[3] = UPGRADE;
        fields[4] = SEC_WEBSOCKET_ACCEPT;
        fields[5] = WebSocketKey.accept(key);
        int at = 6;
        at = addField(fields, at, SEC_WEBSOCKET_EXTENSIONS, extensions);
        at = addField(fields, at, SEC_WEBSOCKET_PROTOCOL, subprotocol);
        addField(fields, at, SERVER, serverHeader);
        return new Response(101, SWITCHING_PROTOCOLS, Headers.of(fields), NO_BODY);
    }

    /** Puts {@code name} and {@code value} at {@code fields[at]} unless the value is {@code null}; returns the next index. */
    private static int addField(String[] fields, int at, String name, String value) {
        if (value == null) {
            return at;
        }
        fields[at] = name;
        fields[at + 1] = value;
        return at + 2;
    }

    private Response rejection(InvalidHandshakeException e) {
        int status;
        String extraName = null;
        String extraValue = null;
        if (e instanceof RejectedException rejected) {
            status = rejected.status;
            extraName = rejected.headerName;
            extraValue = rejected.headerValue;
        } else if (e instanceof InvalidOriginException) {
            status = 403;
        } else if (e instanceof InvalidHttpMessageException invalid) {
            status = invalid.status();
        } else {
            status = 400;
        }
        Response response = reject(status, "Failed to open a WebSocket connection: " + e.getMessage() + ".");
        if (extraName == null) {
            return response;
        }
        Headers headers =
                response.headers().toBuilder().add(extraName, extraValue).build();
        return new Response(response.status(), response.reason(), headers, response.body());
    }

    /**
     * The extension offers {@link #accept(Request)} declined because they were invalid (RFC 7692 §7 asks a
     * server to decline them rather than refuse the connection), each with the reason, for logs.
     */
    public List<String> declinedOffers() {
        return List.copyOf(declinedOffers);
    }

    /**
     * A plain-text error response that closes the connection, for {@link #sendResponse(Response)}.
     *
     * @param status an HTTP status, such as 401 or 503
     * @param text the body
     */
    public Response reject(int status, String text) {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        Headers.Builder headers = Headers.builder()
                .add("Connection", "close")
                .add("Content-Length", Integer.toString(body.length))
                .add("Content-Type", "text/plain; charset=utf-8");
        if (serverHeader != null) {
            headers.add("Server", serverHeader);
        }
        return new Response(status, ReasonPhrases.of(status), headers.build(), body);
    }

    /**
     * Queues the response's bytes. A {@code 101} opens the connection with what {@link #accept(Request)}
     * negotiated; any other status ends it: TCP is closed after the response.
     *
     * @throws InvalidStateException unless the handshake is in progress
     */
    public void sendResponse(Response response) {
        if (state != ProtocolState.CONNECTING) {
            throw new InvalidStateException("cannot send a handshake response: connection is " + state);
        }
        addOutput(HttpSerializer.serialize(response));
        if (response.status() == 101 && handshakeException == null) {
            List<Extension> negotiated = acceptedExtensions;
            acceptedExtensions = List.of();
            open(negotiated, acceptedSubprotocol);
            // Frames the client sent before this response are parsed now, within the receive limits.
            parseInput(ByteBuffer.allocate(0));
        } else {
            if (handshakeException == null) {
                handshakeException = new InvalidStatusException(response);
            }
            closeAll(acceptedExtensions);
            acceptedExtensions = List.of();
            dropUnparsed();
            sendEof();
            setClosed();
        }
    }

    private static void closeAll(List<Extension> extensions) {
        for (Extension extension : extensions) {
            extension.close();
        }
    }

    /** A handshake failure answered with a given status and, optionally, a header telling the client why. */
    private static final class RejectedException extends InvalidHandshakeException {
        private static final long serialVersionUID = 1L;

        private final int status;
        private final String headerName;
        private final String headerValue;

        RejectedException(int status, String message, String headerName, String headerValue) {
            super(message);
            this.status = status;
            this.headerName = headerName;
            this.headerValue = headerValue;
        }
    }

    /** Builds a {@link ServerProtocol}. Not thread-safe. */
    public static final class Builder {
        private List<String> origins = List.of();
        private List<Pattern> originPatterns = List.of();
        private boolean checkOrigin;
        private List<String> subprotocols = List.of();
        private SubprotocolSelector selector;
        private List<ServerExtensionFactory> extensions = List.of();
        private String serverHeader = UserAgent.DEFAULT;
        private long maxSize = 1 << 20; // 1 MiB
        private long maxFrameSize;
        private boolean deferClose;
        private FrameObserver observer;

        private Builder() {}

        /**
         * Accepts only these {@code Origin} values (exact match); a {@code null} element accepts requests
         * without an {@code Origin} header (non-browser clients). Others are answered 403. By default, every
         * origin is accepted.
         */
        public Builder origins(Collection<String> values) {
            this.origins = new ArrayList<>(values);
            this.checkOrigin = true;
            return this;
        }

        /** Also accepts {@code Origin} values that fully match one of these patterns; enables the origin check. */
        public Builder originPatterns(Collection<Pattern> patterns) {
            this.originPatterns = List.copyOf(patterns);
            this.checkOrigin = true;
            return this;
        }

        /**
         * Subprotocols the server supports, in its order of preference. When set, a client that offers none
         * of them, or none at all, is answered 400.
         */
        public Builder subprotocols(List<String> values) {
            this.subprotocols = List.copyOf(values);
            return this;
        }

        /** A custom subprotocol choice, replacing the preference order of {@link #subprotocols(List)}. */
        public Builder subprotocolSelector(SubprotocolSelector value) {
            this.selector = value;
            return this;
        }

        /** Extensions the server supports, in its order of preference. */
        public Builder extensions(List<ServerExtensionFactory> factories) {
            this.extensions = List.copyOf(factories);
            return this;
        }

        /** The {@code Server} header, or {@code null} for none. Defaults to {@code wsflux/<version> Java/<version>}. */
        public Builder serverHeader(String value) {
            this.serverHeader = value;
            return this;
        }

        /** Largest message in bytes after decompression (default 1 MiB); 0 disables the limit. */
        public Builder maxSize(long bytes) {
            this.maxSize = bytes;
            return this;
        }

        /**
         * Largest frame payload in bytes, checked from the frame's header before its payload is buffered; a larger
         * frame fails the connection with 1009. 0 (the default) derives it from {@code maxSize}: {@code maxSize}
         * for uncompressed frames, and for the frames of a compressed message (permessage-deflate) the most
         * DEFLATE data that zlib makes of {@code maxSize} bytes, about 13.6% more, so that a message of {@code
         * maxSize} bytes after decompression is accepted whatever its size on the wire. A value set here holds
         * for every frame.
         */
        public Builder maxFrameSize(long bytes) {
            this.maxFrameSize = bytes;
            return this;
        }

        /** Whether a received Close or a failure waits for {@link #commitClose()} (see {@link #closePending()}). */
        public Builder deferClose(boolean value) {
            this.deferClose = value;
            return this;
        }

        /**
         * Shows every frame sent and received to {@code value} (see {@link FrameObserver}), or none for
         * {@code null} (the default: no call and no allocation per frame).
         */
        public Builder frameObserver(FrameObserver value) {
            this.observer = value;
            return this;
        }

        /** Builds the protocol. */
        public ServerProtocol build() {
            return new ServerProtocol(this);
        }
    }
}
