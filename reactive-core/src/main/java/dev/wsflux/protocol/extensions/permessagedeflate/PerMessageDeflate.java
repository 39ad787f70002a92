package dev.wsflux.protocol.extensions.permessagedeflate;

import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.frames.PayloadTooBigException;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.http11.ExtensionOffer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate extension of one connection: compresses the messages it sends and
 * decompresses those it receives (<a href="https://www.rfc-editor.org/rfc/rfc7692">RFC 7692</a>), with
 * the JDK's {@code java.util.zip} only. Not thread-safe: one connection uses it sequentially. Built by
 * {@link PerMessageDeflateClientFactory} and {@link PerMessageDeflateServerFactory}.
 *
 * <pre>
 * c1 07 f2 48 cd c9 c9 07 00     "Hello" compressed: FIN, RSV1, text; 7 bytes of payload (§7.2.3.1)
 * c1 05 f2 00 11 00 00           "Hello" again, with context takeover (§7.2.3.2)
 * </pre>
 *
 * <h2>Frames (<a href="https://www.rfc-editor.org/rfc/rfc7692#section-6">§6</a>)</h2>
 *
 * <p>RSV1 marks the first frame of a compressed message; its continuation frames and every control
 * frame must have RSV1 clear, and a received frame that breaks this fails the connection with 1002.
 * Each frame a sender gives is compressed into the message's DEFLATE stream and flushed, so that a
 * fragmented message is streamed frame by frame; the {@code 00 00 ff ff} of the flush is removed from
 * the last frame only, and the receiver appends it after the message's last frame, empty or not,
 * before inflating it (<a href="https://www.rfc-editor.org/rfc/rfc7692#section-7.2">§7.2</a>). An empty
 * message is sent as the single byte {@code 00} (§7.2.3.6); a message whose frames carry no byte at
 * all, with RSV1, is decoded as an empty message too.
 *
 * <h2>What is compressed</h2>
 *
 * <p>A message is sent uncompressed, RSV1 clear, when the sender asks so ({@code compress == false} in
 * {@link #encode}) or when it is a single frame shorter than the
 * {@linkplain PerMessageDeflateOptions#DEFAULT_COMPRESSION_THRESHOLD compression threshold}. RFC 7692
 * decides per message: "On a WebSocket connection where a PMCE is in use, this bit indicates whether
 * a message is compressed or not" (§6). A fragmented message is always compressed, since its size is
 * unknown when its first frame goes out.
 *
 * <h2>Windows smaller than 32 KiB with the JDK</h2>
 *
 * <p>The JDK {@link Deflater} cannot be given a window: it always uses 15 bits (32 KiB) and memLevel
 * 8. wsflux still never agrees to a window it does not keep to. To honour a negotiated
 * {@code N < 15}, the deflater is reset whenever the bytes it has seen since its last reset would
 * exceed {@code 2^N}, and primed with {@link Deflater#setDictionary} with the most recent bytes: as a
 * back-reference can only point into what the deflater has seen, every distance stays below
 * {@code 2^N}. Segments end with a sync flush, on a byte boundary, so the outputs of successive resets
 * form one valid stream. In the simplest case (no context, messages of at most {@code 2^N} bytes) this
 * is "compress each message with a reset compressor". zlib's deflate has no 8-bit window (it uses 9
 * bits, and since 1.2.9 refuses a raw 8-bit stream); that quirk concerns peers that negotiate 8 bits
 * for their own compressor, not wsflux, which never gives zlib a window: its compressor keeps to 8 bits
 * as to any other window. The JDK {@link Inflater} always has a 32 KiB window, which decodes streams
 * made with any smaller window, so any window the peer asks for is accepted.
 *
 * <h2>Errors</h2>
 *
 * <p>{@link #decode} fails the connection with 1002 on a misplaced RSV1, with 1007 when a payload is
 * not valid DEFLATE data (the payload is inconsistent with what RSV1 announced; RFC 7692 only says to
 * fail the connection), and with 1009 as soon as the decompressed message exceeds its limit, without
 * allocating more than the limit (see {@code PerMessageDeflateDecoder}).
 *
 * <h2>Memory</h2>
 *
 * <p>zlib streams are created lazily, when the first compressed message goes in that direction, and
 * ended by {@link #close()}. A deflater holds about 262 KiB of native memory (64 KiB window buffer,
 * 64 KiB hash chains, 64 KiB hash heads, 64 KiB pending buffer, 6 KiB of state) and an inflater about
 * 39 KiB (7 KiB of state, 32 KiB window). Whenever the negotiated parameters let a stream go between
 * messages (no context takeover, or a window below 15 bits whose context lives in a heap copy of the
 * window instead), it is ended after each message and created again for the next: that costs about
 * 1 µs more than a reset (3.4 µs against 2.5 µs for a deflater), next to the tens of
 * microseconds of compressing a message, and an idle connection then holds no native memory. The
 * reference a zlib stream keeps to its last input is dropped after each frame, so an idle connection
 * does not keep its last message alive either.
 *
 * <p>The figures come from {@code PerMessageDeflateMeasurement} (module {@code benchmarks}), on OpenJDK 17.0.15
 * with the system's zlib 1.2.13, Linux x86-64, on two shared cores: 2,000 server-side connections
 * negotiated with the client defaults, each idle after one message each way. Native figures below
 * 2 KiB are measurement noise and shown as 0.
 *
 * <table>
 *   <caption>Memory per idle connection</caption>
 *   <tr><th>settings</th><th>message each way</th><th>heap</th><th>native (resident)</th></tr>
 *   <tr><td>server defaults: 12-bit windows, context takeover</td><td>1 KiB</td><td>8.5 KiB</td>
 *       <td>0</td></tr>
 *   <tr><td>server defaults: 12-bit windows, context takeover</td><td>64 KiB</td><td>8.5 KiB</td>
 *       <td>0</td></tr>
 *   <tr><td>15-bit windows, context takeover</td><td>1 KiB</td><td>0.5 KiB</td><td>103 KiB</td></tr>
 *   <tr><td>15-bit windows, context takeover</td><td>64 KiB</td><td>0.5 KiB</td><td>283 KiB</td></tr>
 *   <tr><td>15-bit windows, no context takeover</td><td>64 KiB</td><td>0.3 KiB</td><td>0</td></tr>
 *   <tr><td>any, before the first compressed message</td><td>none</td><td>0.2 KiB</td><td>0</td></tr>
 * </table>
 *
 * <p>Compression of JSON events (the same keys, varying values), CPU time per message, on the same
 * machine; the ratio is compressed size over original size, and the times vary by about 20% from run
 * to run on a loaded machine.
 *
 * <table>
 *   <caption>Settings against ratio and speed</caption>
 *   <tr><th>settings</th><th>128 B: ratio, compress, decompress</th><th>1 KiB</th><th>16 KiB</th></tr>
 *   <tr><td>level 6, 15-bit window, context takeover</td><td>0.284, 9 µs, 1.4 µs</td>
 *       <td>0.230, 39 µs, 8 µs</td><td>0.206, 558 µs, 91 µs</td></tr>
 *   <tr><td>level 1, 15-bit window, context takeover</td><td>0.353, 6 µs, 1.4 µs</td>
 *       <td>0.283, 16 µs, 7 µs</td><td>0.259, 221 µs, 88 µs</td></tr>
 *   <tr><td>level 9, 15-bit window, context takeover</td><td>0.278, 24 µs, 1.2 µs</td>
 *       <td>0.226, 153 µs, 7 µs</td><td>0.202, 2301 µs, 77 µs</td></tr>
 *   <tr><td>level 6, 15-bit window, no context takeover</td><td>0.743, 13 µs, 4 µs</td>
 *       <td>0.311, 29 µs, 8 µs</td><td>0.221, 477 µs, 103 µs</td></tr>
 *   <tr><td>level 6, 12-bit window, context takeover (server default)</td><td>0.309, 19 µs, 1.9 µs</td>
 *       <td>0.236, 33 µs, 8 µs</td><td>0.224, 446 µs, 101 µs</td></tr>
 *   <tr><td>level 6, 12-bit window, no context takeover</td><td>0.743, 16 µs, 4 µs</td>
 *       <td>0.311, 31 µs, 8 µs</td><td>0.229, 470 µs, 106 µs</td></tr>
 *   <tr><td>level 6, 9-bit window, context takeover</td><td>0.374, 12 µs, 1.6 µs</td>
 *       <td>0.356, 57 µs, 15 µs</td><td>0.358, 934 µs, 243 µs</td></tr>
 * </table>
 *
 * <p>Hence the server defaults: a 12-bit window keeps nearly all the gain of context takeover on
 * streams of small messages (0.236 against 0.230 at 1 KiB) for 8.5 KiB of heap per idle connection
 * instead of up to 283 KiB of native memory, at the price of priming a fresh deflater with the 4 KiB
 * context for each message (about 9 µs more for a 128-byte message). Clients, which hold few
 * connections, keep the full window unless the server asks otherwise.
 */
public final class PerMessageDeflate implements Extension {
    /** The registered extension name. */
    public static final String NAME = "permessage-deflate";

    private static final int RSV1 = 0b100;

    /** An empty stored block as a sync flush ends with it: 3 header bits and padding, LEN and NLEN (§7.2.1). */
    private static final int SYNC_FLUSH_LENGTH = 1 + 2 + 2;

    /** zlib streams created and not yet ended, across all instances (for leak tests). */
    private static final AtomicInteger LIVE_ZLIB_STREAMS = new AtomicInteger();

    private final ExtensionOffer agreed;
    private final int compressionLevel;
    private final int compressionThreshold;
    private final boolean localNoContextTakeover;
    private final int localMaxWindowBits;
    private final boolean remoteNoContextTakeover;
    private final int remoteMaxWindowBits;
    private final PerMessageDeflateEncoder encoder;
    private final PerMessageDeflateDecoder decoder;

    private boolean receivingCompressed;
    private boolean sendingCompressed;
    private boolean closed;

    /**
     * The extension as negotiated.
     *
     * @param agreed the agreed parameters, as in the server's response
     * @param options the compression level and threshold of this side
     * @param localNoContextTakeover whether this side's compressor resets after each message
     * @param localMaxWindowBits this side's compressor window
     * @param remoteNoContextTakeover whether the peer's compressor resets after each message
     * @param remoteMaxWindowBits the peer's compressor window
     */
    PerMessageDeflate(
            ExtensionOffer agreed,
            PerMessageDeflateOptions options,
            boolean localNoContextTakeover,
            int localMaxWindowBits,
            boolean remoteNoContextTakeover,
            int remoteMaxWindowBits) {
        this.agreed = agreed;
        this.compressionLevel = options.compressionLevel();
        this.compressionThreshold = options.compressionThreshold();
        this.localNoContextTakeover = localNoContextTakeover;
        this.localMaxWindowBits = localMaxWindowBits;
        this.remoteNoContextTakeover = remoteNoContextTakeover;
        this.remoteMaxWindowBits = remoteMaxWindowBits;
        this.encoder = new PerMessageDeflateEncoder(compressionLevel, localMaxWindowBits, localNoContextTakeover);
        this.decoder = new PerMessageDeflateDecoder(remoteMaxWindowBits, remoteNoContextTakeover);
    }

    /** Returns {@value #NAME}. */
    @Override
    public String name() {
        return NAME;
    }

    /** Returns {@code 0b100}: RSV1, the "Per-Message Compressed" bit (RFC 7692 §6). */
    @Override
    public int rsvBits() {
        return RSV1;
    }

    /**
     * Decompresses the frames of compressed messages; returns other frames unchanged.
     *
     * @throws WebSocketProtocolException with 1002 when RSV1 is set on a control or continuation frame,
     *     or a new message starts inside a compressed one; with 1007 when the payload is not valid
     *     DEFLATE data
     * @throws PayloadTooBigException (1009) as soon as the decompressed bytes exceed {@code
     *     maxMessageSize}
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public Frame decode(Frame frame, long maxMessageSize) {
        checkOpen();
        Opcode opcode = frame.opcode();
        if (opcode.isControl() || opcode == Opcode.CONTINUATION) {
            // RFC 7692 §6: "An endpoint MUST NOT set the "Per-Message Compressed" bit of control frames
            // and non-first fragments of a data message. An endpoint receiving such a frame MUST _Fail
            // the WebSocket Connection_."
            if (frame.rsv1()) {
                throw new WebSocketProtocolException(
                        CloseCodes.PROTOCOL_ERROR,
                        "rsv1 set on a " + opcode.name().toLowerCase(Locale.ROOT) + " frame");
            }
            if (opcode.isControl() || !receivingCompressed) {
                return frame;
            }
        } else {
            if (receivingCompressed) {
                throw new WebSocketProtocolException(
                        CloseCodes.PROTOCOL_ERROR,
                        "expected a continuation of the compressed message, got a "
                                + opcode.name().toLowerCase(Locale.ROOT) + " frame");
            }
            if (!frame.rsv1()) {
                return frame;
            }
            receivingCompressed = true;
        }
        ByteBuffer payload = decoder.decode(frame.payload(), frame.fin(), maxMessageSize);
        receivingCompressed = !frame.fin();
        return new Frame(opcode, payload, frame.fin(), false, frame.rsv2(), frame.rsv3());
    }

    /**
     * Compresses the frames of messages to compress; returns other frames with RSV1 clear.
     *
     * @throws IllegalStateException when a new message starts inside a compressed one, or after
     *     {@link #close()}
     */
    @Override
    public Frame encode(Frame frame, boolean compress) {
        checkOpen();
        Opcode opcode = frame.opcode();
        if (opcode.isControl()) {
            return frame;
        }
        if (opcode == Opcode.CONTINUATION) {
            if (!sendingCompressed) {
                return frame.rsv1() ? frame.withRsv1(false) : frame;
            }
        } else {
            if (sendingCompressed) {
                throw new IllegalStateException("a " + opcode.name().toLowerCase(Locale.ROOT)
                        + " frame started a message before the" + " compressed message in progress ended");
            }
            if (!compress || (frame.fin() && frame.length() < compressionThreshold)) {
                return frame.rsv1() ? frame.withRsv1(false) : frame;
            }
        }
        ByteBuffer payload = encoder.encode(frame.payload(), frame.fin());
        sendingCompressed = !frame.fin();
        return new Frame(opcode, payload, frame.fin(), opcode != Opcode.CONTINUATION, frame.rsv2(), frame.rsv3());
    }

    /** Ends the zlib streams. Idempotent. */
    @Override
    public void close() {
        closed = true;
        encoder.close();
        decoder.close();
    }

    /** The agreed parameters as a header element, e.g. {@code permessage-deflate; server_max_window_bits=12}. */
    @Override
    public String toString() {
        return agreed.toString();
    }

    int compressionLevel() {
        return compressionLevel;
    }

    boolean localNoContextTakeover() {
        return localNoContextTakeover;
    }

    int localMaxWindowBits() {
        return localMaxWindowBits;
    }

    boolean remoteNoContextTakeover() {
        return remoteNoContextTakeover;
    }

    int remoteMaxWindowBits() {
        return remoteMaxWindowBits;
    }

    ExtensionOffer agreed() {
        return agreed;
    }

    /**
     * The most bytes a zlib sender can put in one frame of a compressed message that inflates to at most
     * {@code length} bytes: where the frames of compressed messages stop being accepted when {@code maxSize}
     * is {@code length} and {@code maxFrameSize} is not set, so that {@code maxSize} bounds what a message
     * inflates to, as documented, and not its size on the wire.
     *
     * <p>DEFLATE itself has no worst case (a sender may add empty blocks without end), so this is zlib's, the
     * compressor of every peer tested (Python {@code websockets}, libsoup, Node {@code ws}, Chromium, the JDK).
     * zlib's {@code deflateBound()} (deflate.c, 1.2.12 and later) bounds a raw stream whose parameters it does
     * not know by the larger of two bounds, and a receiver does not know them: RFC 7692 negotiates the window,
     * never zlib's memLevel or strategy. For {@code n = length}:
     *
     * <ul>
     *   <li><b>Stored blocks</b>, {@code n + (n >> 5) + (n >> 7) + (n >> 11) + 7}, about 4%: zlib stores
     *       incompressible data in blocks no longer than its buffers, which memLevel sets, down to 127 bytes at
     *       memLevel 1, and each block costs 5 bytes (3 header bits and padding, LEN, NLEN). So not 5 bytes
     *       per 65,535: Python {@code websockets} (memLevel 5) sends 1 MiB of random bytes as 1,051,137 bytes
     *       (2,561 more), where blocks of 65,535 bytes would take 85 more.
     *   <li><b>Fixed Huffman blocks</b>, {@code n + (n >> 3) + (n >> 8) + (n >> 9) + 4}, about 13.6%: when the
     *       window is no larger than the symbol buffer (windowBits &le; memLevel + 7, so any window for some
     *       memLevel), a block's data may have slid out of the window and cannot be stored; it goes out as
     *       literals of at most 9 bits (the fixed codes of 144 to 255) plus 10 bits per block of at least 255
     *       symbols. zlib 1.2.13 with a 9-bit window, memLevel 5 and {@code Z_FIXED} turns 1 MiB of bytes 144
     *       to 255 into 1,180,046 bytes.
     * </ul>
     *
     * <p>zlib's bound is for a stream ended with {@code Z_FINISH}; a permessage-deflate sender flushes instead
     * (§7.2.1), and a frame that ends with a sync flush holds up to 5 more bytes: the empty stored block's 3
     * header bits and padding, LEN and NLEN (the last four are removed from the message's last frame only).
     *
     * <pre>{@code
     * maxCompressedLength(n) = max(n + (n >> 3) + (n >> 8) + (n >> 9) + 4, n + (n >> 5) + (n >> 7) + (n >> 11) + 7) + 5
     * maxCompressedLength(1 MiB) = 1,048,576 + 131,072 + 4,096 + 2,048 + 4 + 5 = 1,185,801
     * }</pre>
     *
     * @param length the largest decompressed message, at least 0
     * @return the largest frame payload to accept, or {@code Long.MAX_VALUE} if that does not fit in a long
     */
    static long maxCompressedLength(long length) {
        long fixedBlocks = length + (length >> 3) + (length >> 8) + (length >> 9) + 4;
        long storedBlocks = length + (length >> 5) + (length >> 7) + (length >> 11) + 7;
        long bound = Math.max(fixedBlocks, storedBlocks) + SYNC_FLUSH_LENGTH;
        return bound < length ? Long.MAX_VALUE : bound;
    }

    @Override
    public long maxEncodedFrameLength(long maxMessageSize) {
        return maxCompressedLength(maxMessageSize);
    }

    /** The first extension in {@code accepted} that claims RSV1, or {@code null}. */
    static Extension rsv1User(List<Extension> accepted) {
        for (Extension extension : accepted) {
            if ((extension.rsvBits() & RSV1) != 0) {
                return extension;
            }
        }
        return null;
    }

    /** The number of zlib streams created and not yet ended, by every instance (for leak tests). */
    static int liveZlibStreams() {
        return LIVE_ZLIB_STREAMS.get();
    }

    /** A raw-deflate compressor, counted. */
    static Deflater newDeflater(int level) {
        Deflater deflater = new Deflater(level, true);
        LIVE_ZLIB_STREAMS.incrementAndGet();
        return deflater;
    }

    /** A raw-deflate decompressor, counted. */
    static Inflater newInflater() {
        Inflater inflater = new Inflater(true);
        LIVE_ZLIB_STREAMS.incrementAndGet();
        return inflater;
    }

    /** Ends a compressor made by {@link #newDeflater}. */
    static void end(Deflater deflater) {
        deflater.end();
        LIVE_ZLIB_STREAMS.decrementAndGet();
    }

    /** Ends a decompressor made by {@link #newInflater}. */
    static void end(Inflater inflater) {
        inflater.end();
        LIVE_ZLIB_STREAMS.decrementAndGet();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("permessage-deflate is closed");
        }
    }
}
