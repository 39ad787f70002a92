package dev.wsflux.protocol.extensions.permessagedeflate;

import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.PayloadTooBigException;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The decompressing half of permessage-deflate: inflates the frames of a compressed message, with
 * {@code 00 00 ff ff} appended at the end of the message
 * (<a href="https://www.rfc-editor.org/rfc/rfc7692#section-7.2.2">RFC 7692 §7.2.2</a>), within a
 * bound on the decompressed size. Not thread-safe.
 *
 * <p><b>Decompression bombs.</b> Deflate expands up to about 1032 times, so a frame's size says little
 * about its output. Output goes into chunks whose sizes never add up to more than the remaining
 * budget plus one byte (the byte that proves the budget exceeded): the first chunk is four times the
 * input (at least {@value #MIN_CHUNK} bytes, at most {@value #MAX_FIRST_CHUNK}), and each further
 * chunk doubles the total. {@link PayloadTooBigException} is thrown as soon as the output passes the
 * budget, so a message that would inflate to 1 GiB costs at most the budget plus one byte of output
 * arrays before it fails, plus the inflater's own memory. Whatever the budget, one frame cannot
 * inflate to more than {@value #MAX_ARRAY_LENGTH} bytes, the largest Java array.
 *
 * <p><b>Corrupt data.</b> An {@link Inflater} error fails the connection with 1007 (invalid frame
 * payload data): the frame is well formed and the extension was negotiated, but the payload is not
 * the DEFLATE data the RSV1 bit announced, which is what 1007 describes ("data within a message that
 * was not consistent with the type of the message", RFC 6455 §7.4.1). RFC 7692 only says to fail the
 * connection.
 *
 * <p><b>Windows.</b> The JDK {@link Inflater} always has a 32 KiB window, which decodes streams made
 * with any smaller window. With context takeover and a 15-bit peer window one inflater (about 7 KiB
 * of native state and a 32 KiB native window) lives for the connection. Without context takeover the
 * inflater is created for each message and ended after it. With context takeover and a peer window
 * of {@code 2^N < 32 KiB}, the context is kept as a heap copy of the last {@code 2^N} decompressed
 * bytes and each message gets a fresh inflater primed with it ({@link Inflater#setDictionary}): a
 * conforming peer never refers further back, and an idle connection holds no native memory.
 *
 * <p><b>The tail belongs to the message, not to its last frame.</b> §7.2.2: "1. Append 4 octets of
 * 0x00 0x00 0xff 0xff to the tail end of the payload of the message. 2. Decompress the resulting data
 * using DEFLATE." The sender removed those four bytes from the end of the message's compressed data
 * (§7.2.1: "After this step, the last octet of the compressed data contains (possibly part of) the
 * DEFLATE header bits with the "BTYPE" bits set to 00"), then may cut that data into frames anywhere
 * (RFC 6455 §5.4). A sender that cuts it into frames of N bytes, as Autobahn|Testsuite does, ends a
 * message whose compressed length is a multiple of N with an empty final frame. So the tail is fed once,
 * after the last frame, whenever the message carried at least one compressed byte in any of its frames:
 * it completes the empty stored block whose header ends the data and leaves the inflater on a block
 * boundary for the next message. Left out, the inflater would stay inside that block, and with context
 * takeover the next message would be read as its lengths ("invalid stored block lengths").
 *
 * <p>A message whose frames carry no compressed byte at all is the one case that gets no tail. It has no
 * block in progress: the inflater is on the block boundary the previous message left (or fresh), and the
 * tail alone would be read as the header {@code 00} of a stored block of length {@code 0xff00} whose
 * complement lacks a byte, which the next message's first byte would have to supply: an error then, or
 * 65,280 of its bytes taken as stored data. A conforming sender never sends such a payload (even an
 * empty message compresses to the single byte {@code 00}, §7.2.3.6, which the tail completes), but
 * inflating nothing is the only reading that keeps the stream intact, and it decodes to the empty
 * message the sender meant.
 *
 * <p><b>BFINAL.</b> A peer may compress with blocks that have BFINAL set (RFC 7692 §7.2.3.4), and
 * "the next DEFLATE block follows the padded data if any" (§7.2.1). A zlib stream cannot go on after
 * its final block, so the inflater is reset and decodes what follows as a new stream: a block after a
 * final block cannot refer to data before it, and the message after one starts with an empty window.
 * Peers that compress each message as a complete stream (the reason to use BFINAL) do not refer
 * across messages anyway.
 */
final class PerMessageDeflateDecoder {
    /** RFC 7692 §7.2.2: "1. Append 4 octets of 0x00 0x00 0xff 0xff to the tail end of the payload". */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};

    private static final byte[] NO_INPUT = new byte[0];

    /** The largest Java array (some JVMs reserve header words in the last few indices). */
    static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** The smallest output chunk: room for a short message without a second chunk. */
    static final int MIN_CHUNK = 64;

    /** The largest first chunk: a guess beyond 64 KiB is left to the doubling. */
    static final int MAX_FIRST_CHUNK = 64 * 1024;

    private final int windowSize;
    private final boolean bounded;
    private final boolean noContextTakeover;

    private Inflater inflater;
    private PerMessageDeflateHistory history;
    private boolean inMessage;
    private boolean finalBlockSeen;
    private long messageLength;
    /** The compressed bytes the frames of the current message carried so far. */
    private long messageInputLength;

    private long allocatedOutputBytes;

    /**
     * A decompressor.
     *
     * @param peerWindowBits the negotiated window of the peer's compressor, 8 to 15
     * @param noContextTakeover whether the peer resets its context after each message
     */
    PerMessageDeflateDecoder(int peerWindowBits, boolean noContextTakeover) {
        this.windowSize = 1 << peerWindowBits;
        this.bounded = peerWindowBits < PerMessageDeflateOptions.MAX_WINDOW_BITS;
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * Inflates the payload of one frame of a compressed message.
     *
     * @param payload the frame's payload; its position is not moved
     * @param fin whether this frame ends the message
     * @param budget how many bytes this frame may inflate to
     * @return the decompressed bytes
     * @throws PayloadTooBigException when the output would exceed {@code budget}
     * @throws WebSocketProtocolException with 1007 when the payload is not valid DEFLATE data
     */
    ByteBuffer decode(ByteBuffer payload, boolean fin, long budget) {
        if (!inMessage) {
            startMessage();
        }
        Output output = new Output(budget, payload.remaining(), messageLength);
        messageInputLength += payload.remaining();
        try {
            inflate(payload.duplicate(), output);
            // The tail ends the message's data, whatever frame its last byte came in (see the class doc);
            // a message without any compressed byte has no block to end.
            if (fin && messageInputLength > 0) {
                inflate(ByteBuffer.wrap(TAIL), output);
            }
        } catch (DataFormatException e) {
            throw new WebSocketProtocolException(
                    CloseCodes.INVALID_PAYLOAD, "invalid compressed data: " + e.getMessage(), e);
        } finally {
            allocatedOutputBytes = output.allocated;
            // The inflater keeps a reference to its input: dropped, so that an idle connection does not
            // keep its last frame alive.
            inflater.setInput(NO_INPUT);
        }
        ByteBuffer result = output.toBuffer();
        allocatedOutputBytes = output.allocated;
        messageLength += result.remaining();
        if (history != null) {
            history.append(result);
        }
        if (fin) {
            endMessage();
        }
        return result;
    }

    /** The bytes of output arrays the last {@link #decode} allocated, whether it failed or not (for tests). */
    long allocatedOutputBytes() {
        return allocatedOutputBytes;
    }

    /** Whether a zlib stream is allocated (for tests). */
    boolean holdsInflater() {
        return inflater != null;
    }

    /** The number of history bytes kept between messages (for tests). */
    int historyLength() {
        return history == null ? 0 : history.length();
    }

    /** Ends the inflater, if any. Idempotent. */
    void close() {
        releaseInflater();
        history = null;
    }

    private void startMessage() {
        inMessage = true;
        finalBlockSeen = false;
        messageLength = 0;
        messageInputLength = 0;
        if (inflater == null) {
            inflater = PerMessageDeflate.newInflater();
        }
        if (bounded && !noContextTakeover) {
            if (history == null) {
                history = new PerMessageDeflateHistory(windowSize);
            } else if (history.length() > 0) {
                inflater.setDictionary(history.array(), 0, history.length());
            }
        }
    }

    private void endMessage() {
        inMessage = false;
        if (finalBlockSeen && history != null) {
            history.clear();
        }
        // RFC 7692 §7.2.2: "If the "agreed parameters" contain the "server_no_context_takeover"
        // extension parameter, the client MAY decompress each new message with an empty LZ77 sliding
        // window. Otherwise, the client MUST decompress each new message using the LZ77 sliding window
        // used to process the last compressed message." (and the same of the server)
        if (noContextTakeover || bounded || finalBlockSeen) {
            releaseInflater();
        }
    }

    private void inflate(ByteBuffer input, Output output) throws DataFormatException {
        inflater.setInput(input);
        while (true) {
            int space = output.ensureSpace();
            int count = inflater.inflate(output.current, output.position, space);
            output.advance(count);
            if (inflater.finished()) {
                // RFC 7692 §7.2.1: "The next DEFLATE block follows the padded data if any."
                finalBlockSeen = true;
                inflater.reset();
                inflater.setInput(input); // the JDK has moved its position past the bytes it used
            } else if (count < space) {
                // zlib stops when the input is used up or the output is full; with room left, the input is.
                return;
            }
        }
    }

    private void releaseInflater() {
        if (inflater != null) {
            PerMessageDeflate.end(inflater);
            inflater = null;
        }
    }

    /** Output chunks whose total size never exceeds the budget plus one byte. */
    private static final class Output {
        private final long limit;
        private final long before;
        private final int firstChunk;
        private final List<byte[]> full = new ArrayList<>(0);
        byte[] current;
        int position;
        private long total;
        long allocated;

        Output(long budget, int inputLength, long before) {
            this.limit = Math.max(0, Math.min(budget, MAX_ARRAY_LENGTH));
            this.before = before;
            this.firstChunk = (int) Math.max(MIN_CHUNK, Math.min(MAX_FIRST_CHUNK, 4L * inputLength));
        }

        /** Returns the free space of the current chunk, allocating a chunk when it is full. */
        int ensureSpace() {
            if (current != null && position < current.length) {
                return current.length - position;
            }
            if (current != null) {
                full.add(current);
            }
            long size = current == null ? firstChunk : Math.max(total, MIN_CHUNK);
            size = Math.min(size, limit + 1 - total);
            current = new byte[(int) size];
            position = 0;
            allocated += size;
            return (int) size;
        }

        void advance(int count) {
            position += count;
            total += count;
            if (total > limit) {
                throw PayloadTooBigException.moreThan(before + limit);
            }
        }

        ByteBuffer toBuffer() {
            if (total == 0) {
                return Frame.emptyPayload();
            }
            if (full.isEmpty()) {
                // A first chunk at most a quarter too large is kept rather than copied.
                if (current.length - position <= position >>> 2) {
                    return ByteBuffer.wrap(current, 0, position).slice();
                }
                allocated += position;
                return ByteBuffer.wrap(Arrays.copyOf(current, position));
            }
            byte[] bytes = new byte[(int) total];
            int offset = 0;
            for (byte[] chunk : full) {
                System.arraycopy(chunk, 0, bytes, offset, chunk.length);
                offset += chunk.length;
            }
            System.arraycopy(current, 0, bytes, offset, position);
            allocated += total;
            return ByteBuffer.wrap(bytes);
        }
    }
}
