package dev.wsflux.protocol;

import dev.wsflux.protocol.codec.FrameParser;
import dev.wsflux.protocol.codec.FrameSerializer;
import dev.wsflux.protocol.codec.Utf8Validator;
import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.InvalidStateException;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.frames.PayloadTooBigException;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.frames.WireFormat;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A WebSocket connection without I/O: bytes and calls come in, events and bytes go out.
 *
 * <p>The I/O layer feeds what it reads to {@link #receiveData(ByteBuffer)} and {@link #receiveEof()},
 * takes parsed {@link Event}s from {@link #eventsReceived()}, and writes {@link #dataToSend()} to the
 * socket, half-closing it when it meets {@link #EOF}. The design follows Python {@code websockets}'
 * Sans-I/O {@code Protocol}. Bad input never throws: it fails the connection with the close code the
 * RFC asks for and keeps the cause ({@link #failureCause()}).
 *
 * <p>Not thread-safe: an instance is confined to one thread at a time (the session engine runs it on
 * its channel's event loop).
 *
 * <p>Implements <a href="https://www.rfc-editor.org/rfc/rfc6455#section-5">RFC 6455 §5</a> (framing),
 * <a href="https://www.rfc-editor.org/rfc/rfc6455#section-7">§7</a> (closing) and
 * <a href="https://www.rfc-editor.org/rfc/rfc6455#section-8">§8</a> (error handling).
 */
public abstract sealed class Protocol permits ClientProtocol, ServerProtocol {

    /** The marker in {@link #dataToSend()} that asks the I/O layer to half-close TCP. Compare by identity. */
    public static final ByteBuffer EOF = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /**
     * The most input bytes kept unparsed: 128 KiB, two socket reads of 64 KiB (Netty's largest by default).
     * Bytes are kept when they arrive before the server's handshake response, or after a {@linkplain
     * #receiveData(ByteBuffer, int, long) receive limit} stopped parsing. An I/O layer that stops reading
     * while {@link #hasUnparsedInput()} keeps at most one read here; a second one comes only from a transport
     * that reads on its own (Netty's epoll transport reads everything the kernel holds once the peer shuts
     * down its side, to see the end of the stream). Beyond the bound, the connection fails with 1009 once the
     * bytes kept were parsed: a peer that sends that much and then closes, while this side is not reading,
     * is not waiting for an answer.
     */
    public static final int MAX_UNPARSED = 128 * 1024; // 128 KiB

    /**
     * From this payload length on, a server hands a data frame's payload to {@link #dataToSend()} as its
     * own buffer after the header instead of copying it into the frame: 16 KiB, where a copy starts to cost
     * more than one more buffer to write.
     */
    static final int UNCOPIED_PAYLOAD = 16 * 1024;

    private final boolean client;
    private UUID id;
    private final long maxSize;
    private final long maxFrameSize;
    /** Whether {@link #maxFrameSize} is derived from {@link #maxSize} (0 was given) rather than set. */
    private final boolean maxFrameSizeDerived;
    /** The limit of the frames of a compressed message, set on opening; see {@link #open}. */
    private long maxCompressedFrameSize;

    private final boolean deferClose;
    private final FrameSerializer serializer;
    /** Sees every frame sent and received; {@code null} for none (then nothing is done per frame). */
    private final FrameObserver observer;
    /** Whether the observer threw: it is not called again. */
    private boolean observerFailed;
    // Lists are made on the first add after each hand-over: an idle connection keeps none.
    private static final List<Event> NO_EVENTS = Collections.emptyList();
    private static final List<ByteBuffer> NO_OUTPUT = Collections.emptyList();

    private List<Event> events = NO_EVENTS;
    private List<ByteBuffer> output = NO_OUTPUT;

    ProtocolState state = ProtocolState.CONNECTING;
    Throwable handshakeException;
    List<Extension> extensions = List.of();
    String subprotocol;

    private FrameParser parser;
    // Input not parsed yet, in read mode (see MAX_UNPARSED), and whether some was dropped beyond the bound.
    private ByteBuffer unparsed;
    private boolean unparsedOverflow;
    // What the current receiveData call may still complete before parsing stops.
    private int messagesLeft = Integer.MAX_VALUE;
    private long bytesLeft = Long.MAX_VALUE;
    private int allowedRsvBits;
    private boolean discarding;
    private boolean eofSent;
    private boolean eofReceived;
    private boolean extensionsClosed;

    private CloseStatus closeReceived;
    private CloseStatus closeSent;
    private Boolean receivedThenSent;
    private Throwable failureCause;
    private CloseStatus pendingClose;

    // The message being received.
    private Opcode inboundMessage;
    private boolean inboundCompressed;
    private long inboundSize;
    private boolean validateEagerly;
    private final Utf8Validator utf8 = new Utf8Validator();

    // The message being sent.
    private Opcode outboundMessage;
    private boolean outboundCompress;

    Protocol(
            boolean client,
            long maxSize,
            long maxFrameSize,
            boolean deferClose,
            MaskKeySource maskKeys,
            FrameObserver observer) {
        if (maxSize < 0 || maxFrameSize < 0) {
            throw new IllegalArgumentException(
                    "sizes must be >= 0: maxSize=" + maxSize + ", maxFrameSize=" + maxFrameSize);
        }
        this.client = client;
        this.maxSize = maxSize;
        this.maxFrameSize = maxFrameSize > 0 ? maxFrameSize : maxSize;
        this.maxFrameSizeDerived = maxFrameSize == 0;
        this.deferClose = deferClose;
        // 5.3: "A client MUST mask all frames that it sends to the server."
        // 5.1: "A server MUST NOT mask any frames that it sends to the client."
        this.serializer = new FrameSerializer(client, maskKeys);
        this.observer = observer;
    }

    // ---------------------------------------------------------------- identity and state

    /**
     * A unique identifier of this connection, for logs: a random UUID, made on the first call (a
     * connection nobody asks about costs no random bytes and keeps no UUID). Thread-safe.
     */
    public synchronized UUID id() {
        if (id == null) {
            id = UUID.randomUUID();
        }
        return id;
    }

    /** The lifecycle state. */
    public ProtocolState state() {
        return state;
    }

    /** Why the opening handshake failed, or {@code null}. */
    public Throwable handshakeException() {
        return handshakeException;
    }

    /** The Close frame received, or {@code null} until one is. */
    public CloseStatus closeReceived() {
        return closeReceived;
    }

    /** The Close frame sent, or {@code null} until one is. */
    public CloseStatus closeSent() {
        return closeSent;
    }

    /** Whether the Close frame received came before the one sent; {@code null} unless both exist. */
    public Boolean receivedThenSent() {
        return receivedThenSent;
    }

    /**
     * The WebSocket Connection Close Code (RFC 6455 §7.1.5): "the status code ... contained in the first Close
     * control frame received", 1005 when that frame had none, and 1006 once the connection is closed without
     * one ("If _The WebSocket Connection is Closed_ and no Close control frame was received by the endpoint").
     *
     * @return the code, or {@code null} while it is not defined yet: no Close frame received and the
     *     connection not closed (it is no 1006 before anything closed)
     */
    public Integer closeCode() {
        if (closeReceived != null) {
            return closeReceived.code();
        }
        return state == ProtocolState.CLOSED ? CloseCodes.ABNORMAL_CLOSURE : null;
    }

    /**
     * The WebSocket Connection Close Reason (RFC 6455 §7.1.6): the reason of the first Close frame received, or
     * the empty string once the connection is closed without one.
     *
     * @return the reason, or {@code null} exactly when {@link #closeCode()} is {@code null}
     */
    public String closeReason() {
        if (closeReceived != null) {
            return closeReceived.reason();
        }
        return state == ProtocolState.CLOSED ? "" : null;
    }

    /** The error that failed the connection (a {@link WebSocketProtocolException} for bad input), or {@code null}. */
    public Throwable failureCause() {
        return failureCause;
    }

    /**
     * How the connection closed: both Close frames, their order and the cause. {@code null} until the
     * state is {@link ProtocolState#CLOSED}.
     */
    public ConnectionClosedException closeException() {
        if (state != ProtocolState.CLOSED) {
            return null;
        }
        return ConnectionClosedException.of(closeReceived, closeSent, receivedThenSent, failureCause);
    }

    /** The negotiated subprotocol, or {@code null}. */
    public String subprotocol() {
        return subprotocol;
    }

    /** The negotiated extensions, in negotiated order. */
    public List<Extension> extensions() {
        return extensions;
    }

    /** Whether this is the client side. */
    public boolean isClient() {
        return client;
    }

    /** The message size limit in bytes after decompression; 0 means none. */
    public long maxSize() {
        return maxSize;
    }

    /** The observer of every frame given to the builder, or {@code null} when none was. */
    public FrameObserver frameObserver() {
        return observer;
    }

    // ---------------------------------------------------------------- input

    /**
     * Feeds bytes read from the socket; consumes all of them. Never throws for bad input: the connection
     * fails instead. Afterwards, call {@link #eventsReceived()} and {@link #dataToSend()}. The same as
     * {@link #receiveData(ByteBuffer, int, long)} without limits.
     */
    public void receiveData(ByteBuffer data) {
        receiveData(data, Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * Feeds bytes read from the socket, parsing frames until the input is used up or until the limits are
     * reached: parsing stops right after the frame that completes the {@code maxMessages}-th data message,
     * or the message that brings the payload bytes (after decompression) of the messages completed in this
     * call to {@code maxBytes} or more. Either limit 0 parses no frame. The bytes after the stop are kept,
     * not dropped: the next call parses them first (see {@link #hasUnparsedInput()}), so that an I/O layer
     * can stop <em>decoding</em> when its consumer's queue is full and leave the rest of a read in a
     * bounded buffer, or in the socket once it stops reading. Handshake bytes are always parsed, and bytes
     * that arrive with the server's handshake request are parsed, within the limits of the last call, once
     * the response opened the connection.
     *
     * <p>Consumes all of {@code data} (its position ends at its limit). Never throws for bad input: the
     * connection fails instead. Afterwards, call {@link #eventsReceived()} and {@link #dataToSend()}.
     *
     * @param data the bytes read; the protocol keeps no reference to it (the bytes it keeps are copied)
     * @param maxMessages how many data messages this call may complete
     * @param maxBytes the payload bytes this call may complete, counted per completed message
     * @throws IllegalArgumentException if a limit is negative
     */
    public void receiveData(ByteBuffer data, int maxMessages, long maxBytes) {
        if (maxMessages < 0 || maxBytes < 0) {
            throw new IllegalArgumentException(
                    "negative receive limit: " + maxMessages + " messages, " + maxBytes + " bytes");
        }
        messagesLeft = maxMessages;
        bytesLeft = maxBytes;
        if (discarding || eofReceived || state == ProtocolState.CLOSED) {
            // 7.1.7: after failing, or after a Close frame, further input is discarded.
            data.position(data.limit());
            unparsed = null;
            return;
        }
        if (state == ProtocolState.CONNECTING) {
            receiveHandshake(data);
            if (state != ProtocolState.OPEN) {
                data.position(data.limit());
                return;
            }
        }
        parseInput(data);
    }

    /** Whether bytes received earlier wait to be parsed: a receive limit stopped parsing before them. */
    public boolean hasUnparsedInput() {
        return unparsed != null && unparsed.hasRemaining();
    }

    /** The number of bytes received but not parsed yet (see {@link #hasUnparsedInput()}). */
    public int unparsedBytes() {
        return unparsed == null ? 0 : unparsed.remaining();
    }

    /** Forgets the bytes kept unparsed (the connection will not open). */
    final void dropUnparsed() {
        unparsed = null;
        unparsedOverflow = false;
    }

    /** Parses the bytes kept from earlier calls, then {@code data}, and keeps what the limits left. */
    final void parseInput(ByteBuffer data) {
        ByteBuffer kept = unparsed;
        if (kept != null) {
            parse(kept);
            if (kept.hasRemaining()) {
                keepUnparsed(data);
                return;
            }
            unparsed = null;
            if (unparsedOverflow) {
                // Messages completed within the bytes kept were delivered; the stream cannot go on after them.
                unparsedOverflow = false;
                data.position(data.limit());
                failOnViolation(new WebSocketProtocolException(
                        CloseCodes.MESSAGE_TOO_BIG,
                        "more than " + MAX_UNPARSED + " bytes received before they could be parsed"));
                return;
            }
        }
        parse(data);
        keepUnparsed(data);
    }

    /** Feeds frame bytes to the parser within the limits; drops them once input is discarded. */
    private void parse(ByteBuffer data) {
        if (!discarding && (messagesLeft <= 0 || bytesLeft <= 0)) {
            return;
        }
        try {
            parser.feed(data);
        } catch (WebSocketProtocolException e) {
            onViolation(e);
        } catch (RuntimeException e) {
            onUnexpected(e);
        }
        if (discarding) {
            data.position(data.limit());
        }
    }

    /**
     * Keeps the rest of {@code data} for a later call, copied, up to {@link #MAX_UNPARSED} bytes in all. The
     * bytes kept stay a prefix of the stream: dropping bytes from its middle would misalign the frames after
     * them, so beyond the bound everything is dropped and the connection fails once the prefix was parsed.
     */
    final void keepUnparsed(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        if (discarding) {
            data.position(data.limit());
            return;
        }
        int held = unparsedBytes();
        int kept = Math.min(data.remaining(), MAX_UNPARSED - held);
        if (kept > 0) {
            ByteBuffer buffer = unparsed;
            if (buffer == null || buffer.capacity() - buffer.limit() < kept) {
                // Grow geometrically, so that a peer trickling bytes costs linear copying, not quadratic.
                int capacity = Math.min(MAX_UNPARSED, Math.max(held + kept, 2 * held));
                ByteBuffer grown = ByteBuffer.allocate(capacity);
                if (buffer != null) {
                    grown.put(buffer);
                }
                buffer = grown.flip();
            }
            int end = buffer.limit();
            buffer.limit(end + kept);
            buffer.put(end, data, data.position(), kept);
            data.position(data.position() + kept);
            unparsed = buffer;
        }
        if (data.hasRemaining()) {
            unparsedOverflow = true;
            data.position(data.limit());
        }
    }

    /**
     * The peer closed its side of the TCP connection.
     *
     * <p>RFC 6455 §7.1.5: "If _The WebSocket Connection is Closed_ and no Close control frame was received
     * by the endpoint ..., _The WebSocket Connection Close Code_ is considered to be 1006."
     */
    public void receiveEof() {
        if (eofReceived) {
            return;
        }
        eofReceived = true;
        if (state == ProtocolState.CONNECTING) {
            receiveHandshakeEof();
        } else if (parser != null && !parser.isIdle() && !discarding && failureCause == null) {
            failureCause = new WebSocketProtocolException(
                    CloseCodes.ABNORMAL_CLOSURE, "connection closed in the middle of a frame");
        }
        discarding = true;
        pendingClose = null;
        // 7.1.1: the client closes its side once the server has closed TCP.
        if (!eofSent) {
            sendEof();
        }
        setClosed();
    }

    /**
     * Returns the events parsed since the last call, in order: the handshake {@link Request} (server) or
     * {@link Response} (client), then {@link Frame}s after extension decoding. Data frames are delivered one
     * by one (a fragmented message arrives as several frames); text payloads were validated as UTF-8.
     */
    public List<Event> eventsReceived() {
        // Hand the list over instead of copying it: this runs for every read.
        List<Event> result = events;
        events = NO_EVENTS;
        return result;
    }

    /**
     * Returns the bytes to write since the last call, in order. The last element may be {@link #EOF}: the
     * I/O layer then half-closes TCP (and nothing follows it).
     */
    public List<ByteBuffer> dataToSend() {
        // Hand the list over instead of copying it: this runs for every read and every send.
        List<ByteBuffer> result = output;
        output = NO_OUTPUT;
        return result;
    }

    /**
     * Whether the I/O layer should expect the TCP connection to close soon, and arm its close timer.
     *
     * <p>A TCP close is expected once a Close frame was sent (the server then waits for the client to
     * close, the client for the server) or the handshake failed, unless the peer already closed TCP.
     */
    public boolean closeExpected() {
        if (eofReceived) {
            return false;
        }
        return state == ProtocolState.CLOSING || handshakeException != null || eofSent;
    }

    // ---------------------------------------------------------------- strict delivery

    /**
     * Whether a Close (a reply, or a failure) waits for {@link #commitClose()}. Only in deferred-close mode:
     * input is already discarded, and data may still be sent so that the application can answer the
     * messages it received before.
     */
    public boolean closePending() {
        return pendingClose != null;
    }

    /** Sends the pending Close, if any, and goes on as if it had been sent at once. */
    public void commitClose() {
        CloseStatus pending = pendingClose;
        if (pending == null) {
            return;
        }
        pendingClose = null;
        if (closeReceived != null && failureCause == null) {
            replyToClose();
        } else {
            failNow(pending.code(), pending.reason());
        }
    }

    // ---------------------------------------------------------------- output: data frames

    /** Sends a text frame; see {@link #sendText(ByteBuffer, boolean, boolean)}. */
    public void sendText(ByteBuffer data, boolean fin) {
        sendText(data, fin, true);
    }

    /**
     * Sends the first frame of a text message (the whole message when {@code fin}).
     *
     * @param data UTF-8 bytes (not validated); the protocol takes ownership
     * @param fin whether this frame ends the message
     * @param compress {@code false} to send this message uncompressed even with permessage-deflate
     * @throws InvalidStateException unless the connection is open
     * @throws IllegalStateException while a fragmented message is being sent
     */
    public void sendText(ByteBuffer data, boolean fin, boolean compress) {
        sendDataStart(Opcode.TEXT, data, fin, compress);
    }

    /** Sends a binary frame; see {@link #sendBinary(ByteBuffer, boolean, boolean)}. */
    public void sendBinary(ByteBuffer data, boolean fin) {
        sendBinary(data, fin, true);
    }

    /**
     * Sends the first frame of a binary message (the whole message when {@code fin}).
     *
     * @param data the payload; the protocol takes ownership
     * @param fin whether this frame ends the message
     * @param compress {@code false} to send this message uncompressed even with permessage-deflate
     * @throws InvalidStateException unless the connection is open
     * @throws IllegalStateException while a fragmented message is being sent
     */
    public void sendBinary(ByteBuffer data, boolean fin, boolean compress) {
        sendDataStart(Opcode.BINARY, data, fin, compress);
    }

    /**
     * Sends a continuation frame of the message in progress.
     *
     * @throws InvalidStateException unless the connection is open
     * @throws IllegalStateException when no fragmented message is in progress
     */
    public void sendContinuation(ByteBuffer data, boolean fin) {
        requireOpen("continuation");
        if (outboundMessage == null) {
            throw new IllegalStateException("no fragmented message to continue");
        }
        sendDataFrame(new Frame(Opcode.CONTINUATION, data, fin), outboundCompress);
        if (fin) {
            outboundMessage = null;
        }
    }

    private void sendDataStart(Opcode opcode, ByteBuffer data, boolean fin, boolean compress) {
        requireOpen(opcode == Opcode.TEXT ? "text" : "binary");
        if (outboundMessage != null) {
            throw new IllegalStateException(
                    "a fragmented " + outboundMessage + " message is in progress: send a continuation frame");
        }
        sendDataFrame(new Frame(opcode, data, fin), compress);
        if (!fin) {
            outboundMessage = opcode;
            outboundCompress = compress;
        }
    }

    private void sendDataFrame(Frame frame, boolean compress) {
        Frame encoded = frame;
        for (Extension extension : extensions) {
            encoded = extension.encode(encoded, compress);
        }
        if (!client && encoded.length() >= UNCOPIED_PAYLOAD) {
            // §5.1: "A server MUST NOT mask any frames": a large payload is handed over as it is, after its
            // header, instead of being copied into a new frame array (the protocol owns the payload).
            output(serializer.serializeHeader(encoded));
            output(encoded.payload().duplicate());
        } else {
            output(serializer.serialize(encoded));
        }
        sent(frame, encoded);
    }

    private void requireOpen(String what) {
        // 5.5.1: "... the endpoint MUST NOT send any more data frames" after sending a Close frame.
        if (state != ProtocolState.OPEN) {
            throw new InvalidStateException("cannot send a " + what + " frame: connection is " + state);
        }
    }

    // ---------------------------------------------------------------- output: control frames

    /**
     * Sends a Ping (allowed while OPEN and CLOSING).
     *
     * @throws IllegalArgumentException when the payload exceeds 125 bytes
     * @throws InvalidStateException in other states
     */
    public void sendPing(ByteBuffer data) {
        sendControl(Opcode.PING, data);
    }

    /**
     * Sends a Pong (allowed while OPEN and CLOSING).
     *
     * @throws IllegalArgumentException when the payload exceeds 125 bytes
     * @throws InvalidStateException in other states
     */
    public void sendPong(ByteBuffer data) {
        sendControl(Opcode.PONG, data);
    }

    private void sendControl(Opcode opcode, ByteBuffer data) {
        if (state != ProtocolState.OPEN && state != ProtocolState.CLOSING) {
            throw new InvalidStateException("cannot send a " + opcode + " frame: connection is " + state);
        }
        // 5.5: "All control frames MUST have a payload length of 125 bytes or less"
        if (data.remaining() > WireFormat.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("control frame too long: " + data.remaining() + " bytes");
        }
        if (eofSent) {
            return;
        }
        Frame frame = new Frame(opcode, data, true);
        output(serializer.serialize(frame));
        sent(frame, frame);
    }

    /** Starts the closing handshake without a status code (the peer sees 1005). */
    public void sendClose() {
        sendClose(CloseCodes.NO_STATUS_RCVD, "");
    }

    /**
     * Starts the closing handshake (RFC 6455 §7.1.2, "Start the WebSocket Closing Handshake").
     *
     * @param code a code that may be sent (1000–1003, 1007–1014, 3000–4999), or 1005 with an empty reason
     *     for a Close frame without status
     * @param reason at most 123 UTF-8 bytes
     * @throws IllegalArgumentException for a code that may not be sent or a reason too long
     * @throws InvalidStateException unless the connection is open
     */
    public void sendClose(int code, String reason) {
        CloseStatus status = CloseStatus.forSending(code, reason);
        if (pendingClose != null) {
            // The peer's Close or a failure is waiting: the application caught up; send that one.
            commitClose();
            return;
        }
        if (state != ProtocolState.OPEN) {
            throw new InvalidStateException("cannot send a close frame: connection is " + state);
        }
        sendCloseFrame(status);
    }

    private void sendCloseFrame(CloseStatus status) {
        Frame close = new Frame(Opcode.CLOSE, status.toPayload(), true);
        output(serializer.serialize(close));
        closeSent = status;
        if (closeReceived != null && receivedThenSent == null) {
            receivedThenSent = Boolean.TRUE;
        }
        state = ProtocolState.CLOSING;
        // 7.1.1: "the server MUST close the underlying TCP connection immediately" once both Close frames
        // were exchanged; the client waits for the server to do so.
        if (!client && closeReceived != null) {
            sendEof();
        }
        sent(close, close);
    }

    // ---------------------------------------------------------------- the frame observer

    /**
     * Shows a received frame to the observer: {@code wire} as parsed, {@code decoded} after the extensions. An
     * exception from the observer propagates to {@link #parse}, which fails the connection with 1011 and skips
     * the rest of this frame (no Pong after the failure's Close).
     */
    private void received(Frame wire, Frame decoded) {
        if (observer != null && !observerFailed) {
            try {
                observer.onFrame(
                        FrameObserver.Direction.RECEIVED,
                        wire.opcode(),
                        wire.fin(),
                        wire.rsvBits(),
                        decoded.payload().asReadOnlyBuffer());
            } catch (RuntimeException e) {
                observerFailed = true;
                throw e;
            }
        }
    }

    /**
     * Shows a frame just queued for the socket to the observer: {@code frame} as given, {@code encoded} as
     * serialized. Called once the protocol's state reflects the frame. An exception from the observer fails
     * the connection with 1011 (while it is open) and becomes the failure's cause.
     */
    private void sent(Frame frame, Frame encoded) {
        if (observer != null && !observerFailed) {
            try {
                observer.onFrame(
                        FrameObserver.Direction.SENT,
                        frame.opcode(),
                        frame.fin(),
                        encoded.rsvBits(),
                        frame.payload().asReadOnlyBuffer());
            } catch (RuntimeException e) {
                observerFailed = true;
                if (failureCause == null) {
                    failureCause = e;
                }
                if (state == ProtocolState.OPEN) {
                    // The reason never carries exception details: they may be security-sensitive.
                    fail(CloseCodes.INTERNAL_ERROR, "internal error");
                }
            }
        }
    }

    /**
     * Fails the connection (RFC 6455 §7.1.7): sends a Close frame with {@code code} when the connection is
     * open, then (server) closes TCP, and discards any further input.
     *
     * <p>"An endpoint MUST NOT continue to attempt to process data (including a responding Close frame) from
     * the remote endpoint after being instructed to _Fail the WebSocket Connection_."
     *
     * <p>The code is checked as {@link #sendClose(int, String)} checks it, so that no code the peer must
     * refuse goes on the wire (a peer that receives 999 fails in turn with 1002, RFC 6455 §7.4.2), with two
     * differences: 1006 is accepted and means "close TCP without a Close frame", and 1005 is refused, since a
     * failure says why (use {@link #sendClose()} for a Close frame without a status).
     *
     * @param code a code that may be sent (1000–1003, 1007–1014, 3000–4999), or 1006 to close TCP without a
     *     Close frame
     * @param reason the reason (truncated to 123 UTF-8 bytes)
     * @throws IllegalArgumentException for any other code
     */
    public void fail(int code, String reason) {
        if (code != CloseCodes.ABNORMAL_CLOSURE && !CloseCodes.isSendable(code)) {
            throw new IllegalArgumentException("invalid close code for fail(): " + code);
        }
        pendingClose = null;
        failNow(code, reason);
    }

    private void failNow(int code, String reason) {
        if (state == ProtocolState.OPEN && code != CloseCodes.ABNORMAL_CLOSURE) {
            CloseStatus status = new CloseStatus(code, truncate(reason));
            Frame close = new Frame(Opcode.CLOSE, status.toPayload(), true);
            output(serializer.serialize(close));
            closeSent = status;
            if (closeReceived != null && receivedThenSent == null) {
                receivedThenSent = Boolean.TRUE;
            }
            state = ProtocolState.CLOSING;
            sent(close, close);
        } else if (state == ProtocolState.OPEN) {
            // 1006: no Close frame; no more data frames may be sent either.
            state = ProtocolState.CLOSING;
        }
        // "When failing the connection, a server closes the TCP connection without waiting for the client
        // to complete the handshake, while a client waits for the server to close it." Failing with 1006
        // means closing TCP at once, on either side.
        if ((!client || code == CloseCodes.ABNORMAL_CLOSURE) && !eofSent) {
            sendEof();
        }
        discarding = true;
        if (state == ProtocolState.CONNECTING) {
            setClosed();
        }
    }

    void sendEof() {
        if (!eofSent) {
            eofSent = true;
            output(EOF);
        }
    }

    void addOutput(ByteBuffer bytes) {
        output(bytes);
    }

    void addEvent(Event event) {
        event(event);
    }

    private void output(ByteBuffer bytes) {
        if (output == NO_OUTPUT) {
            output = new ArrayList<>(4);
        }
        output.add(bytes);
    }

    private void event(Event event) {
        if (events == NO_EVENTS) {
            events = new ArrayList<>(4);
        }
        events.add(event);
    }

    void setClosed() {
        state = ProtocolState.CLOSED;
        if (!extensionsClosed) {
            extensionsClosed = true;
            for (Extension extension : extensions) {
                extension.close();
            }
        }
    }

    /** Called by subclasses when the handshake succeeded. */
    void open(List<Extension> negotiated, String negotiatedSubprotocol) {
        this.extensions = List.copyOf(negotiated);
        this.subprotocol = negotiatedSubprotocol;
        int bits = 0;
        for (Extension extension : extensions) {
            bits |= extension.rsvBits();
        }
        this.allowedRsvBits = bits;
        // maxSize bounds a message after decompression: derived from it, the limit of a compressed message's
        // frames allows the most DEFLATE data that inflates to maxSize, still checked from the header before
        // the payload is buffered (the parser takes the larger limit, Rules the exact one for other frames).
        long transformedFrameSize = maxFrameSize;
        if (maxFrameSizeDerived && maxSize > 0) {
            for (Extension extension : extensions) {
                if (extension.rsvBits() != 0) {
                    transformedFrameSize = Math.max(transformedFrameSize, extension.maxEncodedFrameLength(maxSize));
                }
            }
        }
        this.maxCompressedFrameSize = transformedFrameSize;
        this.parser = new FrameParser(!client, maxCompressedFrameSize, new Rules());
        this.state = ProtocolState.OPEN;
    }

    /** Parses handshake bytes while CONNECTING. */
    abstract void receiveHandshake(ByteBuffer data);

    /** The peer closed TCP during the handshake. */
    abstract void receiveHandshakeEof();

    private static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= CloseStatus.MAX_REASON_BYTES) {
            return reason;
        }
        int end = CloseStatus.MAX_REASON_BYTES;
        // Do not cut a multi-byte UTF-8 sequence: back up to the start of a code point.
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- failures while parsing

    private void onViolation(WebSocketProtocolException e) {
        failureCause = e;
        resetInboundMessage();
        if (e.closeCode() == CloseCodes.ABNORMAL_CLOSURE) {
            fail(e.closeCode(), "");
        } else if (deferClose && state == ProtocolState.OPEN) {
            pendingClose = new CloseStatus(e.closeCode(), truncate(e.getMessage()));
            discarding = true;
        } else {
            fail(e.closeCode(), e.getMessage());
        }
    }

    /**
     * Fails the connection for a violation found outside the frame parser, as if the parser had found it: the
     * same close code and reason, and the same deferred-close handling. Does nothing once input is discarded
     * (the connection already failed or received a Close).
     */
    final void failOnViolation(WebSocketProtocolException e) {
        if (!discarding) {
            onViolation(e);
        }
    }

    private void onUnexpected(RuntimeException e) {
        failureCause = e;
        // The reason never carries exception details: they may be security-sensitive.
        fail(CloseCodes.INTERNAL_ERROR, "internal error");
    }

    private void resetInboundMessage() {
        inboundMessage = null;
        inboundCompressed = false;
        inboundSize = 0;
        validateEagerly = false;
        utf8.reset();
    }

    // ---------------------------------------------------------------- receiving frames: the rules

    /** Message-level rules on top of {@link FrameParser}'s framing. */
    private final class Rules implements FrameParser.Handler {

        @Override
        public void onFrameHeader(FrameParser.FrameHeader header) {
            if (discarding) {
                parser.discard();
                return;
            }
            // 5.2: "If a nonzero value is received and none of the negotiated extensions defines the meaning
            // of such a nonzero value, the receiving endpoint MUST _Fail the WebSocket Connection_."
            int unexpected = header.rsvBits() & ~allowedRsvBits;
            if (unexpected != 0) {
                throw new WebSocketProtocolException(
                        CloseCodes.PROTOCOL_ERROR, "unexpected reserved bits: " + rsvNames(unexpected));
            }
            if (header.length() > maxFrameSize && maxCompressedFrameSize > maxFrameSize && !isCompressed(header)) {
                // The parser allowed maxCompressedFrameSize; only a compressed message's frames may use it.
                throw new PayloadTooBigException(header.length(), maxFrameSize);
            }
            Opcode opcode = header.opcode();
            if (opcode.isControl()) {
                return;
            }
            if (opcode == Opcode.CONTINUATION) {
                // 5.4: a continuation frame continues a fragmented message.
                if (inboundMessage == null) {
                    throw new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, "unexpected continuation frame");
                }
            } else {
                // 5.4: "the fragments of one message MUST NOT be interleaved between the fragments of another"
                if (inboundMessage != null) {
                    throw new WebSocketProtocolException(
                            CloseCodes.PROTOCOL_ERROR,
                            "expected a continuation frame, got " + opcode + " inside a fragmented message");
                }
                inboundMessage = opcode;
                // A message with RSV bits set is transformed by an extension (compressed): validate after decoding.
                inboundCompressed = header.rsvBits() != 0;
                inboundSize = 0;
                utf8.reset();
            }
            if (!inboundCompressed && maxSize > 0 && inboundSize + header.length() > maxSize) {
                // Checked before the payload is buffered.
                throw new PayloadTooBigException(inboundSize + header.length(), maxSize);
            }
            validateEagerly = inboundMessage == Opcode.TEXT && !inboundCompressed;
        }

        /** Whether the frame belongs to a compressed message: RSV1 on its first frame (RFC 7692 §6). */
        private boolean isCompressed(FrameParser.FrameHeader header) {
            Opcode opcode = header.opcode();
            return opcode == Opcode.CONTINUATION ? inboundCompressed : opcode.isData() && header.rsv1();
        }

        @Override
        public boolean wantsPayloadChunks(FrameParser.FrameHeader header) {
            // Only uncompressed text is validated as it arrives; other frames need no per-chunk view.
            return validateEagerly && header.opcode().isData();
        }

        @Override
        public void onPayloadChunk(FrameParser.FrameHeader header, ByteBuffer chunk) {
            // 8.1: invalid UTF-8 fails the connection as soon as the offending byte arrives.
            if (validateEagerly && header.opcode().isData() && !utf8.update(chunk)) {
                throw invalidUtf8();
            }
        }

        @Override
        public void onFrame(Frame frame) {
            Frame decoded = frame;
            if (frame.opcode().isData()) {
                long budget = maxSize > 0 ? maxSize - inboundSize : Long.MAX_VALUE;
                for (int i = extensions.size() - 1; i >= 0; i--) {
                    decoded = extensions.get(i).decode(decoded, budget);
                }
                received(frame, decoded);
                onDataFrame(decoded);
            } else {
                for (int i = extensions.size() - 1; i >= 0; i--) {
                    decoded = extensions.get(i).decode(decoded, Long.MAX_VALUE);
                }
                received(frame, decoded);
                onControlFrame(decoded);
            }
        }

        private void onDataFrame(Frame frame) {
            inboundSize += frame.length();
            if (maxSize > 0 && inboundSize > maxSize) {
                throw new PayloadTooBigException(inboundSize, maxSize);
            }
            if (inboundMessage == Opcode.TEXT) {
                if (inboundCompressed && !utf8.update(frame.payload())) {
                    throw invalidUtf8();
                }
                if (frame.fin() && !utf8.isComplete()) {
                    throw invalidUtf8();
                }
            }
            event(frame);
            if (frame.fin()) {
                long size = inboundSize;
                resetInboundMessage();
                // The receive limits: stop parsing after the message that reaches one of them.
                bytesLeft -= size;
                if (--messagesLeft <= 0 || bytesLeft <= 0) {
                    parser.pause();
                }
            }
        }

        private void onControlFrame(Frame frame) {
            switch (frame.opcode()) {
                case PING -> {
                    event(frame);
                    // 5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response,
                    // unless it already received a Close frame."
                    if (!eofSent) {
                        Frame pong = new Frame(Opcode.PONG, frame.payload().duplicate(), true);
                        output(serializer.serialize(pong));
                        sent(pong, pong);
                    }
                }
                case PONG -> event(frame);
                case CLOSE -> onClose(frame);
                default -> throw new IllegalStateException("not a control frame: " + frame.opcode());
            }
        }

        private void onClose(Frame frame) {
            CloseStatus status = parseClose(frame.payload());
            closeReceived = status;
            if (closeSent != null && receivedThenSent == null) {
                receivedThenSent = Boolean.FALSE;
            }
            event(frame);
            discarding = true;
            resetInboundMessage();
            if (state == ProtocolState.OPEN) {
                // 5.5.1: "If an endpoint receives a Close frame and did not previously send a Close frame, the
                // endpoint MUST send a Close frame in response. (When sending a Close frame in response, the
                // endpoint typically echos the status code it received.)" It "MAY delay sending a Close frame
                // until its current message is sent": deferred-close mode lets the application reply first.
                if (deferClose) {
                    pendingClose = status;
                } else {
                    replyToClose();
                }
            } else if (!client) {
                // The closing handshake is complete: the server closes TCP first (7.1.1).
                sendEof();
            }
            // 5.5.1: after a Close frame, nothing more is parsed.
            parser.discard();
        }
    }

    private void replyToClose() {
        CloseStatus status = closeReceived;
        CloseStatus reply = status.code() == CloseCodes.NO_STATUS_RCVD
                ? new CloseStatus(CloseCodes.NO_STATUS_RCVD, "")
                : new CloseStatus(status.code(), "");
        sendCloseFrame(reply);
    }

    /** Parses a Close payload (5.5.1, 7.4). */
    static CloseStatus parseClose(ByteBuffer payload) {
        ByteBuffer data = payload.duplicate();
        if (data.remaining() == 0) {
            return new CloseStatus(CloseCodes.NO_STATUS_RCVD, "");
        }
        // 5.5.1: "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer"
        if (data.remaining() == 1) {
            throw new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, "close frame too short: 1 byte");
        }
        int code = data.getShort() & 0xFFFF;
        if (!CloseCodes.isReceivable(code)) {
            throw new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, "invalid close code: " + code);
        }
        // 5.5.1: the reason is "not guaranteed to be human readable" but is UTF-8 (8.1: fail on invalid data).
        if (!Utf8Validator.isValid(data)) {
            throw new WebSocketProtocolException(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in close reason");
        }
        return new CloseStatus(code, StandardCharsets.UTF_8.decode(data).toString());
    }

    private static WebSocketProtocolException invalidUtf8() {
        return new WebSocketProtocolException(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in text message");
    }

    private static String rsvNames(int bits) {
        List<String> names = new ArrayList<>(3);
        if ((bits & 0b100) != 0) {
            names.add("RSV1");
        }
        if ((bits & 0b010) != 0) {
            names.add("RSV2");
        }
        if ((bits & 0b001) != 0) {
            names.add("RSV3");
        }
        return String.join(", ", names);
    }
}
