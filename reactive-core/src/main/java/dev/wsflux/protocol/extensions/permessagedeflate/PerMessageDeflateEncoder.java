package dev.wsflux.protocol.extensions.permessagedeflate;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * The compressing half of permessage-deflate: turns the frames of a message into one raw DEFLATE
 * stream, flushed at the end of every frame, without the final {@code 00 00 ff ff}
 * (<a href="https://www.rfc-editor.org/rfc/rfc7692#section-7.2.1">RFC 7692 §7.2.1</a>). Not
 * thread-safe.
 *
 * <p>The JDK {@link Deflater} always uses a 32 KiB window (15 bits). A smaller negotiated window
 * of {@code 2^N} bytes is honoured by bounding what the deflater can see: it is reset whenever the
 * bytes it has seen since its last reset, dictionary included, would exceed {@code 2^N}, and primed
 * with {@link Deflater#setDictionary} with the most recent bytes so that the next segment can still
 * refer to them. A back-reference can only point into what the deflater has seen, so every distance
 * is below {@code 2^N}. Each segment ends with a sync flush, which leaves the stream on a byte
 * boundary, so the segments of successive deflater resets concatenate into one valid stream (the
 * technique of Mark Adler's {@code pigz}, which primes each block with the preceding 32 KiB). With no
 * dictionary and messages of at most {@code 2^N} bytes this is simply "compress each message with a
 * reset compressor"; the dictionary keeps context takeover, and the segments let messages of any size
 * be compressed.
 *
 * <p>Memory: with a 15-bit window and context takeover one deflater (about 262 KiB of native memory)
 * lives for the connection; otherwise the deflater is created for a message and ended after it, and
 * between messages only the {@link PerMessageDeflateHistory} of at most {@code 2^N} heap bytes is kept
 * (and nothing without context takeover). Creating and ending a deflater costs about 1 µs more than
 * resetting one (3.4 µs against 2.5 µs), against 20 to 40 µs to compress 1 KiB.
 */
final class PerMessageDeflateEncoder {
    /** The marker a sync flush ends with: an empty stored block's LEN and NLEN (RFC 7692 §7.2.1). */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};

    private static final byte[] NO_INPUT = new byte[0];

    private final int level;
    private final int windowSize;
    private final boolean bounded;
    private final boolean noContextTakeover;

    private Deflater deflater;
    private PerMessageDeflateHistory history;
    private int windowUsed;
    private boolean inMessage;
    /** Whether the deflater has seen nothing since it was created, so a reset would be redundant. */
    private boolean deflaterFresh;

    /**
     * A compressor.
     *
     * @param level the zlib level, 0 to 9
     * @param windowBits the negotiated window of this side's compressor, 8 to 15
     * @param noContextTakeover whether this side must reset its context after each message
     */
    PerMessageDeflateEncoder(int level, int windowBits, boolean noContextTakeover) {
        this.level = level;
        this.windowSize = 1 << windowBits;
        this.bounded = windowBits < PerMessageDeflateOptions.MAX_WINDOW_BITS;
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * Compresses the payload of one frame of a compressed message.
     *
     * @param payload the frame's payload; its position is not moved
     * @param fin whether this frame ends the message
     * @return the compressed bytes for this frame
     */
    ByteBuffer encode(ByteBuffer payload, boolean fin) {
        if (!inMessage) {
            startMessage();
        }
        Output output = new Output(payload.remaining());
        ByteBuffer input = payload.duplicate();
        if (bounded) {
            encodeBounded(input, output);
        } else {
            deflate(input, output);
        }
        if (fin) {
            removeTail(output);
            endMessage();
        }
        return output.toBuffer();
    }

    /** Whether a zlib stream is allocated (for tests). */
    boolean holdsDeflater() {
        return deflater != null;
    }

    /** The number of history bytes kept between messages (for tests). */
    int historyLength() {
        return history == null ? 0 : history.length();
    }

    /** Ends the deflater, if any. Idempotent. */
    void close() {
        releaseDeflater();
        history = null;
    }

    private void startMessage() {
        inMessage = true;
        if (deflater == null) {
            deflater = PerMessageDeflate.newDeflater(level);
            deflaterFresh = true;
        }
        if (bounded) {
            if (history == null) {
                history = new PerMessageDeflateHistory(windowSize);
            }
            windowUsed = windowSize; // the first bytes start a segment
        }
    }

    private void endMessage() {
        inMessage = false;
        // RFC 7692 §7.2.1: "If the "agreed parameters" contain the "server_no_context_takeover"
        // extension parameter, the server MUST start compressing each new message with an empty LZ77
        // sliding window." (and the same of the client). A bounded window keeps its context in the
        // history, not in the deflater, which is released either way.
        if (noContextTakeover || bounded) {
            releaseDeflater();
        }
        if (noContextTakeover) {
            history = null;
        }
    }

    private void encodeBounded(ByteBuffer input, Output output) {
        do {
            if (windowUsed == windowSize) {
                startSegment(input.remaining());
            }
            int count = Math.min(input.remaining(), windowSize - windowUsed);
            ByteBuffer segment = input.slice(input.position(), count);
            deflate(segment.duplicate(), output);
            history.append(segment);
            input.position(input.position() + count);
            windowUsed += count;
        } while (input.hasRemaining());
    }

    /**
     * Resets the deflater and primes it with the most recent history: as much as fits beside the
     * upcoming input, but leaving room for at least half a window of input.
     */
    private void startSegment(int upcoming) {
        // A reset clears zlib's 64 KiB hash table: skipped on a deflater that has seen nothing yet.
        if (!deflaterFresh) {
            deflater.reset();
        }
        deflaterFresh = false;
        int dictionary = Math.min(history.length(), windowSize - Math.min(upcoming, windowSize / 2));
        if (dictionary > 0) {
            deflater.setDictionary(history.array(), history.length() - dictionary, dictionary);
        }
        windowUsed = dictionary;
    }

    /** Compresses all of {@code input} and ends with a sync flush. */
    private void deflate(ByteBuffer input, Output output) {
        deflater.setInput(input);
        int written;
        do {
            output.ensureSpace();
            written = deflater.deflate(output.bytes, output.length, output.space(), Deflater.SYNC_FLUSH);
            output.length += written;
            // Deflater: "if the return value is len, the space available in output buffer b, this method
            // should be invoked again with the same flush parameter and more output space."
        } while (output.space() == 0);
        // The deflater keeps a reference to its input: dropped, so that an idle connection does not keep
        // its last message alive.
        deflater.setInput(NO_INPUT);
    }

    /**
     * RFC 7692 §7.2.1: "3. Remove 4 octets (that are 0x00 0x00 0xff 0xff) from the tail end."
     *
     * <p>A sync flush ends with those four bytes whenever it writes anything. It writes nothing when
     * the stream was just flushed and got no new input (zlib answers a repeated flush with
     * {@code Z_BUF_ERROR}): then the message is empty after a flushed frame, and its payload is the
     * single byte {@code 0x00} of §7.2.3.6, the header of the empty stored block the receiver completes.
     */
    private static void removeTail(Output output) {
        if (output.endsWithTail()) {
            output.length -= TAIL.length;
        } else {
            output.ensureSpace();
            output.bytes[output.length++] = 0;
        }
    }

    private void releaseDeflater() {
        if (deflater != null) {
            PerMessageDeflate.end(deflater);
            deflater = null;
        }
    }

    /** A growable output array. */
    private static final class Output {
        byte[] bytes;
        int length;

        Output(int inputLength) {
            // Room for incompressible input: zlib's deflateBound() margin plus one sync flush.
            bytes = new byte[inputLength + (inputLength >>> 12) + (inputLength >>> 14) + 64];
        }

        int space() {
            return bytes.length - length;
        }

        void ensureSpace() {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
        }

        boolean endsWithTail() {
            return length >= TAIL.length && Arrays.equals(bytes, length - TAIL.length, length, TAIL, 0, TAIL.length);
        }

        /** The output; copied when the array is more than a quarter too large, as frames may be queued. */
        ByteBuffer toBuffer() {
            if (bytes.length - length <= length >>> 2) {
                return ByteBuffer.wrap(bytes, 0, length).slice();
            }
            return ByteBuffer.wrap(Arrays.copyOf(bytes, length));
        }
    }
}
