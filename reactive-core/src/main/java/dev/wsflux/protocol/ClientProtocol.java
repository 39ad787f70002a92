package dev.wsflux.protocol;

import dev.wsflux.protocol.codec.HttpParser;
import dev.wsflux.protocol.codec.HttpSerializer;
import dev.wsflux.protocol.extensions.ClientExtensionFactory;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.NegotiationException;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.InvalidStateException;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.http11.ExtensionOffer;
import dev.wsflux.protocol.http11.HeaderLists;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidHandshakeException;
import dev.wsflux.protocol.http11.InvalidHeaderException;
import dev.wsflux.protocol.http11.InvalidHttpMessageException;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import dev.wsflux.protocol.http11.UserAgent;
import dev.wsflux.protocol.http11.WebSocketKey;
import dev.wsflux.protocol.http11.WebSocketUri;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The client side of a WebSocket connection, without I/O.
 *
 * <pre>{@code
 * ClientProtocol protocol = ClientProtocol.builder(WebSocketUri.parse("ws://example.com/chat")).build();
 * protocol.sendRequest(protocol.connect());
 * write(protocol.dataToSend());          // GET /chat HTTP/1.1 ...
 * protocol.receiveData(read());          // HTTP/1.1 101 Switching Protocols ...
 * protocol.eventsReceived();             // [Response[101 ...]]; state() is OPEN
 * }</pre>
 *
 * <p>Not thread-safe. Implements the client's requirements of
 * <a href="https://www.rfc-editor.org/rfc/rfc6455#section-4.1">RFC 6455 §4.1</a>.
 */
public final class ClientProtocol extends Protocol {

    /** Shared source of handshake keys; {@link SecureRandom} is thread-safe. */
    private static final Random KEY_RANDOM = new SecureRandom();

    private final WebSocketUri uri;
    private final String origin;
    private final List<String> subprotocols;
    private final List<ClientExtensionFactory> extensionFactories;
    private final Headers extraHeaders;
    private final String userAgent;
    private final Random random;
    /**
     * The parser of the handshake response; {@code null} once it returned the response or failed, so that
     * its line buffer isn't kept for the life of the connection.
     */
    private HttpParser responseParser = HttpParser.forResponses();
    /** Whether a byte of the response arrived; the first one may tell a TLS server (see {@link #tlsRecord}). */
    private boolean responseStarted;

    private String key;

    private ClientProtocol(Builder builder) {
        super(
                true,
                builder.maxSize,
                builder.maxFrameSize,
                builder.deferClose,
                builder.maskKeys != null ? builder.maskKeys : MaskKeySource.secure(),
                builder.observer);
        this.uri = builder.uri;
        this.origin = builder.origin;
        this.subprotocols = List.copyOf(builder.subprotocols);
        this.extensionFactories = List.copyOf(builder.extensions);
        this.extraHeaders = builder.headers;
        this.userAgent = builder.userAgent;
        this.random = builder.random != null ? builder.random : KEY_RANDOM;
    }

    /** A builder for a connection to {@code uri}. */
    public static Builder builder(WebSocketUri uri) {
        return new Builder(uri);
    }

    /** The URI this protocol connects to. */
    public WebSocketUri uri() {
        return uri;
    }

    /**
     * Builds the opening handshake request (RFC 6455 §4.1) with a fresh {@code Sec-WebSocket-Key}.
     *
     * <p>Extra headers given to the builder replace the generated header of the same name (so that the
     * {@code Host} can be overridden) or are appended.
     */
    public Request connect() {
        String newKey = WebSocketKey.generate(random);
        Headers.Builder headers = Headers.builder()
                .add("Host", uri.hostHeader())
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", newKey)
                .add("Sec-WebSocket-Version", "13");
        if (origin != null) {
            headers.add("Origin", origin);
        }
        if (!extensionFactories.isEmpty()) {
            List<ExtensionOffer> offers = new ArrayList<>();
            for (ClientExtensionFactory factory : extensionFactories) {
                offers.addAll(factory.offers());
            }
            headers.add("Sec-WebSocket-Extensions", HeaderLists.formatExtensions(offers));
        }
        if (!subprotocols.isEmpty()) {
            headers.add("Sec-WebSocket-Protocol", HeaderLists.formatSubprotocols(subprotocols));
        }
        String authorization = uri.authorization();
        if (authorization != null) {
            headers.add("Authorization", authorization);
        }
        if (userAgent != null) {
            headers.add("User-Agent", userAgent);
        }
        for (var entry : extraHeaders.entries()) {
            headers.remove(entry.getKey());
        }
        headers.addAll(extraHeaders);
        return new Request("GET", uri.resourceName(), headers.build());
    }

    /**
     * Queues the request's bytes for sending and remembers its key to check the server's answer.
     *
     * @throws InvalidStateException unless the handshake has not started
     * @throws IllegalArgumentException when the request has no {@code Sec-WebSocket-Key}
     */
    public void sendRequest(Request request) {
        if (state != ProtocolState.CONNECTING || key != null) {
            throw new InvalidStateException("cannot send a handshake request: connection is " + state);
        }
        String requestKey = request.headers().get("Sec-WebSocket-Key");
        if (requestKey == null) {
            throw new IllegalArgumentException("request has no Sec-WebSocket-Key header");
        }
        key = requestKey;
        addOutput(HttpSerializer.serialize(request));
    }

    @Override
    void receiveHandshake(ByteBuffer data) {
        if (!responseStarted && data.hasRemaining()) {
            responseStarted = true;
            String record = tlsRecord(data.get(data.position()));
            if (record != null) {
                responseParser = null;
                data.position(data.limit());
                failHandshake(new InvalidHttpMessageException(
                        400, "the server answered with " + record + ", not HTTP: it expects TLS, use wss://"));
                return;
            }
        }
        Event response;
        try {
            response = responseParser.feed(data);
        } catch (InvalidHandshakeException e) {
            responseParser = null;
            failHandshake(e);
            return;
        }
        if (response != null) {
            String version = responseParser.httpVersion();
            responseParser = null;
            processResponse((Response) response, version);
        }
    }

    @Override
    void receiveHandshakeEof() {
        Event response;
        try {
            response = responseParser.feedEof();
        } catch (InvalidHandshakeException e) {
            responseParser = null;
            // A TLS server that gets plain text instead of a ClientHello closes the connection without a
            // byte (Netty's SslHandler and OpenSSL do; the JDK's sends an alert, which tlsRecord recognizes).
            failHandshake(
                    !responseStarted && !uri.secure()
                            ? new InvalidHttpMessageException(
                                    400, e.getMessage() + " (if the server expects TLS, use wss://)")
                            : e);
            return;
        }
        String version = responseParser.httpVersion();
        responseParser = null;
        processResponse((Response) response, version);
    }

    private void processResponse(Response response, String httpVersion) {
        addEvent(response);
        List<Extension> accepted = new ArrayList<>();
        try {
            String negotiatedSubprotocol = checkResponse(response, httpVersion, accepted);
            open(accepted, negotiatedSubprotocol);
        } catch (InvalidHandshakeException e) {
            for (Extension extension : accepted) {
                extension.close();
            }
            failHandshake(e);
            return;
        }
        // Frames that came with the response are left in the input: receiveData parses them next.
    }

    private String checkResponse(Response response, String httpVersion, List<Extension> accepted) {
        // An HTTP/1.0 server cannot switch protocols: HTTP/1.0 has no 101 (RFC 7231 §6.2: "HTTP/1.0 did not
        // define any 1xx status codes"). Whatever it answered, say so with its status line.
        if (!httpVersion.equals("HTTP/1.1")) {
            throw new InvalidStatusException(response, httpVersion);
        }
        // 4.1: "If the status code received from the server is not 101, the client handles the response per
        // HTTP [RFC2616] procedures."
        if (response.status() != 101) {
            throw new InvalidStatusException(response);
        }
        Headers headers = response.headers();
        // 4.1: "If the response lacks an |Upgrade| header field or the |Upgrade| header field contains a value
        // that is not an ASCII case-insensitive match for the value "websocket", the client MUST _Fail_"
        List<String> upgrade = HeaderLists.parseUpgrade(headers);
        if (upgrade.size() != 1 || !upgrade.get(0).equalsIgnoreCase("websocket")) {
            throw new InvalidHeaderException("Upgrade", headers.get("Upgrade"), String.join(", ", upgrade));
        }
        // "If the response lacks a |Connection| header field or the |Connection| header field doesn't contain
        // a token that is an ASCII case-insensitive match for the value "Upgrade", the client MUST _Fail_"
        List<String> connection = HeaderLists.parseTokenList(headers, "Connection");
        if (connection.stream().noneMatch("upgrade"::equalsIgnoreCase)) {
            throw new InvalidHeaderException("Connection", headers.get("Connection"), String.join(", ", connection));
        }
        // "If the response lacks a |Sec-WebSocket-Accept| header field or the |Sec-WebSocket-Accept| contains
        // a value other than the base64-encoded SHA-1 of the concatenation of the |Sec-WebSocket-Key| ...
        // the client MUST _Fail_"
        List<String> accept = headers.all("Sec-WebSocket-Accept");
        if (accept.size() != 1 || !accept.get(0).equals(WebSocketKey.accept(key))) {
            throw new InvalidHeaderException(
                    "Sec-WebSocket-Accept",
                    accept.isEmpty() ? null : String.join(", ", accept),
                    "expected " + WebSocketKey.accept(key));
        }
        negotiateExtensions(headers, accepted);
        return negotiateSubprotocol(headers);
    }

    private void negotiateExtensions(Headers headers, List<Extension> accepted) {
        // 4.1: "If the response includes a |Sec-WebSocket-Extensions| header field and this header field
        // indicates the use of an extension that was not present in the client's handshake ..., the client
        // MUST _Fail the WebSocket Connection_."
        for (ExtensionOffer response : HeaderLists.parseExtensions(headers)) {
            if (accepted.stream().anyMatch(extension -> extension.name().equals(response.name()))) {
                throw new NegotiationException("duplicate extension in response: " + response.name());
            }
            ClientExtensionFactory factory = extensionFactories.stream()
                    .filter(candidate -> candidate.name().equals(response.name()))
                    .findFirst()
                    .orElseThrow(() -> new NegotiationException("unsupported extension: " + response));
            accepted.add(Objects.requireNonNull(factory.accept(response, List.copyOf(accepted)), "extension"));
        }
    }

    private String negotiateSubprotocol(Headers headers) {
        List<String> selected = HeaderLists.parseSubprotocols(headers);
        if (selected.isEmpty()) {
            return null;
        }
        if (selected.size() > 1) {
            throw new InvalidHeaderException("Sec-WebSocket-Protocol", String.join(", ", selected), "multiple values");
        }
        // "If the response includes a |Sec-WebSocket-Protocol| header field and this header field indicates
        // the use of a subprotocol that was not present in the client's handshake ..., the client MUST _Fail_"
        String subprotocol = selected.get(0);
        if (!subprotocols.contains(subprotocol)) {
            throw new NegotiationException("unsupported subprotocol: " + subprotocol);
        }
        return subprotocol;
    }

    /**
     * What a first response byte says when it starts a TLS record rather than {@code HTTP/}: RFC 8446 §5.1,
     * {@code ContentType} 21 is an alert (what a TLS server sends when the ClientHello it expected is plain
     * text) and 22 a handshake record; neither byte can start an HTTP status line.
     *
     * @return {@code "a TLS alert record"} or {@code "a TLS handshake record"}, else {@code null}
     */
    private static String tlsRecord(byte first) {
        return switch (first) {
            case 0x15 -> "a TLS alert record";
            case 0x16 -> "a TLS handshake record";
            default -> null;
        };
    }

    private void failHandshake(InvalidHandshakeException e) {
        handshakeException = e;
        sendEof();
        setClosed();
    }

    /** Builds a {@link ClientProtocol}. Not thread-safe. */
    public static final class Builder {
        private final WebSocketUri uri;
        private String origin;
        private List<String> subprotocols = List.of();
        private List<ClientExtensionFactory> extensions = List.of();
        private Headers headers = Headers.empty();
        private String userAgent = UserAgent.DEFAULT;
        private long maxSize = 1 << 20; // 1 MiB
        private long maxFrameSize;
        private boolean deferClose;
        private MaskKeySource maskKeys;
        private Random random;
        private FrameObserver observer;

        private Builder(WebSocketUri uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** The {@code Origin} header, or {@code null} for none (the default). */
        public Builder origin(String value) {
            this.origin = value;
            return this;
        }

        /** Subprotocols to offer, most preferred first. */
        public Builder subprotocols(List<String> values) {
            this.subprotocols = List.copyOf(values);
            return this;
        }

        /** Extensions to offer, in order. */
        public Builder extensions(List<ClientExtensionFactory> factories) {
            this.extensions = List.copyOf(factories);
            return this;
        }

        /** Extra headers; each replaces a generated header of the same name. */
        public Builder headers(Headers values) {
            this.headers = Objects.requireNonNull(values, "headers");
            return this;
        }

        /** The {@code User-Agent}, or {@code null} to send none. Defaults to {@code wsflux/<version> Java/<version>}. */
        public Builder userAgent(String value) {
            this.userAgent = value;
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

        /** Where masking keys come from (default: {@link MaskKeySource#secure()}). */
        public Builder maskKeys(MaskKeySource source) {
            this.maskKeys = source;
            return this;
        }

        /** The random source of {@code Sec-WebSocket-Key} (default: a {@link SecureRandom}). */
        public Builder random(Random source) {
            this.random = source;
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
        public ClientProtocol build() {
            return new ClientProtocol(this);
        }
    }
}
