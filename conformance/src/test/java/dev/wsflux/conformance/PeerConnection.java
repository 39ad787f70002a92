package dev.wsflux.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;

/**
 * One open WebSocket connection of the conformance peer, after the handshake: a reader thread that records
 * and checks everything the testee sends (answering its pings and its Close), and blocking, chop-controlled
 * writes for the case script. Thread-safe: the reader thread and the script thread share the state under
 * this object's monitor; writes are serialized on a separate lock.
 *
 * <p>The checks of the testee's frames follow <a href="https://www.rfc-editor.org/rfc/rfc6455#section-5">RFC
 * 6455 §5</a> (masking, reserved bits and opcodes, control frames, fragmentation), §8.1 (UTF-8 in text) and
 * §7.4 (close codes); each failure is recorded as a violation, which fails the case.
 */
public final class PeerConnection {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final PeerRole role;
    private final PerMessageDeflateCodec codec;
    private final WireLog log;
    private final Random masks;
    private final Object writeLock = new Object();
    private WireFrame partialFrame; // guarded by writeLock
    private byte[] partialBytes; // guarded by writeLock

    // Guarded by this.
    private final List<Observation> observations = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private boolean closeSent;
    private boolean closedByMe;
    private boolean closeReceived;
    private Integer remoteCloseCode;
    private boolean eof;
    private boolean droppedByMe;

    // Reader thread only: the message being assembled.
    private int messageOpcode = -1;
    private boolean messageCompressed;
    private final ByteArrayOutputStream messageBytes = new ByteArrayOutputStream();

    /**
     * Wraps an open connection.
     *
     * @param in the socket's input, buffered, positioned after the handshake
     * @param codec the agreed permessage-deflate codec, or {@code null}
     * @param seed the seed of the mask keys (reproducible wire evidence)
     */
    public PeerConnection(
            Socket socket, InputStream in, PeerRole role, PerMessageDeflateCodec codec, WireLog log, long seed)
            throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.role = role;
        this.codec = codec;
        this.log = log;
        this.masks = new Random(seed);
    }

    /** Starts the reader thread. */
    public void start(String name) {
        Thread reader = new Thread(this::readLoop, name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Whether permessage-deflate was agreed. */
    public boolean compressing() {
        return codec != null;
    }

    // ---- writing ----------------------------------------------------------------------------------------

    /**
     * Writes frames in chops (see {@link Step.Send}).
     *
     * @return false when the socket is closed or broken
     */
    public boolean send(List<WireFrame> frames, int chop) {
        synchronized (writeLock) {
            try {
                List<byte[]> encoded = new ArrayList<>(frames.size());
                int total = 0;
                for (WireFrame frame : frames) {
                    noteClose(frame);
                    byte[] bytes = frame.encode(role == PeerRole.CLIENT ? maskKey() : null);
                    encoded.add(bytes);
                    total += bytes.length;
                    log.add("→ " + frame.describe());
                }
                if (chop == Step.FRAME_CHOPS) {
                    for (byte[] bytes : encoded) {
                        out.write(bytes);
                        out.flush();
                    }
                    return true;
                }
                ByteBuffer all = ByteBuffer.allocate(total);
                encoded.forEach(all::put);
                byte[] bytes = all.array();
                int size = chop == Step.ONE_CHOP ? Math.max(1, bytes.length) : chop;
                for (int offset = 0; offset < bytes.length; offset += size) {
                    out.write(bytes, offset, Math.min(size, bytes.length - offset));
                    out.flush();
                }
                return true;
            } catch (IOException e) {
                log.add("→ write failed: " + e.getMessage());
                return false;
            }
        }
    }

    /**
     * Writes octets {@code [from, to)} of the frame's payload, preceded by its header when {@code from} is 0;
     * the frame is encoded (and masked) once, so its parts fit together.
     */
    public boolean sendPart(WireFrame frame, int from, int to) {
        synchronized (writeLock) {
            try {
                if (partialFrame != frame) {
                    partialFrame = frame;
                    partialBytes = frame.encode(role == PeerRole.CLIENT ? maskKey() : null);
                    noteClose(frame);
                    log.add("→ " + frame.describe() + " (in parts)");
                }
                int header = partialBytes.length - frame.payload().length;
                int start = from == 0 ? 0 : header + from;
                log.add("→ octets " + from + ".." + to + " of the payload");
                out.write(partialBytes, start, header + to - start);
                out.flush();
                return true;
            } catch (IOException e) {
                log.add("→ write failed: " + e.getMessage());
                return false;
            }
        }
    }

    /** A well-formed Close sent by the peer starts (or completes) the closing handshake. */
    private synchronized void noteClose(WireFrame frame) {
        if (frame.opcode() == WireFrame.CLOSE && frame.fin() && frame.rsv() == 0) {
            if (!closeSent && !closeReceived) {
                closedByMe = true;
            }
            closeSent = true;
        }
    }

    /**
     * Sends one message, compressed when permessage-deflate was agreed, cut into frames by {@link
     * #autoFragment}.
     */
    public boolean sendMessage(Observation message, int fragmentSize) {
        int opcode = message.kind() == Observation.Kind.TEXT ? WireFrame.TEXT : WireFrame.BINARY;
        byte[] payload = codec == null ? message.payload() : codec.compress(message.payload());
        return send(autoFragment(opcode, codec != null ? 4 : 0, payload, fragmentSize), Step.ONE_CHOP);
    }

    /**
     * The frames of one message as Autobahn's {@code autoFragmentSize} cuts its payload (the compressed payload,
     * when compressed): a payload of at most {@code fragmentSize} octets, or any payload when {@code fragmentSize}
     * is 0, goes in one frame; a longer one in frames of {@code fragmentSize} octets, where a frame is final only
     * once its end would pass the end of the payload, so that a length that is a multiple of {@code fragmentSize}
     * ends with an <em>empty</em> final frame. {@code rsv} goes on the first frame only.
     */
    static List<WireFrame> autoFragment(int opcode, int rsv, byte[] payload, int fragmentSize) {
        if (fragmentSize <= 0 || payload.length <= fragmentSize) {
            return List.of(new WireFrame(opcode, true, rsv, payload));
        }
        List<WireFrame> frames = new ArrayList<>();
        boolean fin = false;
        for (int offset = 0; !fin; offset += fragmentSize) {
            fin = offset + fragmentSize > payload.length;
            byte[] part =
                    java.util.Arrays.copyOfRange(payload, offset, Math.min(payload.length, offset + fragmentSize));
            frames.add(
                    offset == 0
                            ? new WireFrame(opcode, fin, rsv, part)
                            : new WireFrame(WireFrame.CONTINUATION, fin, 0, part));
        }
        return frames;
    }

    /** Sends a Close frame with a raw payload; the first Close of the connection makes the peer the closer. */
    public boolean sendClose(byte[] payload) {
        return send(List.of(WireFrame.of(WireFrame.CLOSE, payload)), Step.ONE_CHOP);
    }

    private byte[] maskKey() {
        byte[] key = new byte[4];
        masks.nextBytes(key);
        return key;
    }

    /** Drops the TCP connection. */
    public void drop(String why) {
        synchronized (this) {
            droppedByMe = true;
            notifyAll();
        }
        log.add("✕ peer drops TCP: " + why);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Closes the TCP connection as the server does after the closing handshake (not a drop). */
    public void closeTcp() {
        log.add("✕ peer closes TCP");
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    // ---- waiting ----------------------------------------------------------------------------------------

    /** Waits until {@code total} observations arrived, the testee closed, or the deadline passed. */
    public synchronized boolean awaitObservations(int total, long deadlineNanos) throws InterruptedException {
        while (observations.size() < total && !closeReceived && !eof && !droppedByMe) {
            if (!waitUntil(deadlineNanos)) {
                return false;
            }
        }
        return observations.size() >= total;
    }

    /** Waits until the testee sent a Close or closed TCP; false on deadline. */
    public synchronized boolean awaitClose(long deadlineNanos) throws InterruptedException {
        while (!closeReceived && !eof && !droppedByMe) {
            if (!waitUntil(deadlineNanos)) {
                return false;
            }
        }
        return true;
    }

    /** Waits until TCP is closed by the testee; false on deadline. */
    public synchronized boolean awaitEof(long deadlineNanos) throws InterruptedException {
        while (!eof && !droppedByMe) {
            if (!waitUntil(deadlineNanos)) {
                return false;
            }
        }
        return eof;
    }

    private boolean waitUntil(long deadlineNanos) throws InterruptedException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        long millis = Math.max(1, remaining / 1_000_000);
        wait(millis);
        return true;
    }

    // ---- state ------------------------------------------------------------------------------------------

    /** Whether the testee sent a Close or closed TCP. */
    public synchronized boolean testeeClosed() {
        return closeReceived || eof;
    }

    /** Whether the peer sent a Close. */
    public synchronized boolean closeSent() {
        return closeSent;
    }

    /** Whether the testee sent a Close. */
    public synchronized boolean closeReceived() {
        return closeReceived;
    }

    /** Whether the testee closed TCP. */
    public synchronized boolean eof() {
        return eof;
    }

    /** Whether the peer dropped TCP. */
    public synchronized boolean droppedByMe() {
        return droppedByMe;
    }

    /** Whether the peer sent the first Close. */
    public synchronized boolean closedByMe() {
        return closedByMe;
    }

    /** The testee's close code, or {@code null}. */
    public synchronized Integer remoteCloseCode() {
        return remoteCloseCode;
    }

    /** How many observations arrived so far. */
    public synchronized int observationCount() {
        return observations.size();
    }

    /** A copy of the observations. */
    public synchronized List<Observation> observations() {
        return List.copyOf(observations);
    }

    /** A copy of the violations. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Records a violation found outside the reader (e.g. in the handshake). */
    public synchronized void violation(String what) {
        violations.add(what);
        log.add("! " + what);
    }

    // ---- reading ----------------------------------------------------------------------------------------

    private void readLoop() {
        FrameReader reader = new FrameReader(in);
        try {
            while (true) {
                FrameReader.ReadFrame read = reader.next();
                if (read == null) {
                    log.add("← EOF");
                    break;
                }
                log.add("← " + read.frame().describe() + (read.masked() ? " masked" : ""));
                onFrame(read);
            }
        } catch (IOException e) {
            synchronized (this) {
                if (!droppedByMe && !socket.isClosed()) {
                    log.add("← connection error: " + e.getMessage());
                }
            }
        } finally {
            synchronized (this) {
                eof = true;
                notifyAll();
            }
        }
    }

    private void onFrame(FrameReader.ReadFrame read) {
        WireFrame frame = read.frame();
        synchronized (this) {
            if (closeReceived) {
                violation("frame after the testee's Close: " + frame.describe());
                return;
            }
        }
        checkMasking(read);
        int op = frame.opcode();
        if (op != WireFrame.CONTINUATION
                && op != WireFrame.TEXT
                && op != WireFrame.BINARY
                && op != WireFrame.CLOSE
                && op != WireFrame.PING
                && op != WireFrame.PONG) {
            violation("reserved opcode " + op);
            return;
        }
        boolean firstDataFrame = op == WireFrame.TEXT || op == WireFrame.BINARY;
        if (frame.rsv() != 0 && !(frame.rsv() == 4 && codec != null && firstDataFrame)) {
            violation("reserved bits " + frame.rsv() + " on " + frame.describe());
        }
        if (frame.isControl()) {
            if (!frame.fin() || frame.payload().length > 125) {
                // RFC 6455 §5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT
                // be fragmented."
                violation("malformed control frame " + frame.describe());
                return;
            }
            onControl(frame);
        } else {
            onData(frame);
        }
    }

    private void checkMasking(FrameReader.ReadFrame read) {
        // RFC 6455 §5.1: "a client MUST mask all frames that it sends to the server"; "A server MUST NOT mask
        // any frames that it sends to the client."
        if (role == PeerRole.SERVER && !read.masked()) {
            violation("unmasked frame from the client: " + read.frame().describe());
        } else if (role == PeerRole.CLIENT && read.masked()) {
            violation("masked frame from the server: " + read.frame().describe());
        }
    }

    private void onControl(WireFrame frame) {
        switch (frame.opcode()) {
            case WireFrame.PING -> {
                boolean answer;
                synchronized (this) {
                    answer = !closeSent;
                }
                if (answer) {
                    send(List.of(WireFrame.of(WireFrame.PONG, frame.payload())), Step.ONE_CHOP);
                }
            }
            case WireFrame.PONG -> addObservation(Observation.pong(frame.payload()));
            default -> onClose(frame);
        }
    }

    private void onClose(WireFrame frame) {
        byte[] payload = frame.payload();
        Integer code = null;
        if (payload.length == 1) {
            violation("close payload of 1 byte");
        } else if (payload.length >= 2) {
            code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            if (!isValidCloseCode(code)) {
                violation("invalid close code " + code);
            }
            if (!isUtf8(java.util.Arrays.copyOfRange(payload, 2, payload.length))) {
                violation("close reason is not UTF-8: " + Hex.preview(payload));
            }
        }
        boolean reply;
        synchronized (this) {
            closeReceived = true;
            remoteCloseCode = code;
            reply = !closeSent;
            closeSent = true;
            notifyAll();
        }
        if (reply) {
            // RFC 6455 §5.5.1: "the endpoint typically echos the status code it received".
            byte[] echo = code != null && isValidCloseCode(code)
                    ? new byte[] {(byte) (code >>> 8), code.byteValue()}
                    : new byte[0];
            send(List.of(WireFrame.of(WireFrame.CLOSE, echo)), Step.ONE_CHOP);
        }
    }

    private void onData(WireFrame frame) {
        if (frame.opcode() == WireFrame.CONTINUATION) {
            if (messageOpcode < 0) {
                violation("continuation frame without a message in progress");
                return;
            }
        } else {
            if (messageOpcode >= 0) {
                violation("new data frame while a fragmented message is in progress");
                return;
            }
            messageOpcode = frame.opcode();
            messageCompressed = frame.rsv() == 4;
            messageBytes.reset();
        }
        messageBytes.writeBytes(frame.payload());
        if (!frame.fin()) {
            return;
        }
        byte[] payload = messageBytes.toByteArray();
        int opcode = messageOpcode;
        boolean compressed = messageCompressed;
        messageOpcode = -1;
        messageBytes.reset();
        if (compressed) {
            try {
                payload = codec.decompress(payload);
            } catch (DataFormatException e) {
                violation("compressed message does not inflate: " + e.getMessage());
                return;
            }
        }
        if (opcode == WireFrame.TEXT) {
            if (!isUtf8(payload)) {
                violation("text message is not UTF-8: " + Hex.preview(payload));
            }
            addObservation(Observation.text(payload));
        } else {
            addObservation(Observation.binary(payload));
        }
    }

    private synchronized void addObservation(Observation observation) {
        observations.add(observation);
        notifyAll();
    }

    /** RFC 6455 §7.4: codes a peer may receive in a Close frame (1004–1006 and 1015 are never sent). */
    static boolean isValidCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
