package dev.wsflux.conformance;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The conformance peer's own permessage-deflate, written on {@code java.util.zip} so that cases 12.x and 13.x
 * check wsflux against an independent implementation. One instance per connection, for one direction pair:
 * it compresses what the peer sends and decompresses what the testee sends. Not thread-safe.
 *
 * <p>{@code java.util.zip.Deflater} always uses a 32 KiB (15-bit) LZ77 window and cannot be told to use a
 * smaller one. When the agreed window for the peer's own compressor is below 15 bits, the peer compresses
 * with its own {@link SmallWindowDeflater}, whose back-references never reach further than the window. The
 * testee's compressed data is inflated with a 15-bit window, which decodes a stream produced with any smaller
 * window.
 *
 * <p>See <a href="https://www.rfc-editor.org/rfc/rfc7692#section-7.2">RFC 7692 §7.2</a>.
 */
public final class PerMessageDeflateCodec {

    /**
     * RFC 7692 §7.2.1: "Remove 4 octets (that are 0x00 0x00 0xff 0xff) from the tail end." These are the
     * empty stored block a sync flush ends with.
     */
    static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};

    private final Deflater deflater;
    private final SmallWindowDeflater smallWindow;
    private final boolean compressNoContextTakeover;
    private final Inflater inflater = new Inflater(true);
    private final boolean decompressNoContextTakeover;

    /**
     * Creates a codec.
     *
     * @param compressWindowBits the agreed LZ77 window of the peer's compressor, 8..15
     * @param compressNoContextTakeover whether the peer must reset its compressor after each message
     * @param decompressNoContextTakeover whether the testee resets its compressor after each message
     */
    public PerMessageDeflateCodec(
            int compressWindowBits, boolean compressNoContextTakeover, boolean decompressNoContextTakeover) {
        if (compressWindowBits < 8 || compressWindowBits > 15) {
            throw new IllegalArgumentException("window bits out of range: " + compressWindowBits);
        }
        this.deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        this.smallWindow = compressWindowBits == 15
                ? null
                : new SmallWindowDeflater(compressWindowBits, compressNoContextTakeover);
        this.compressNoContextTakeover = compressNoContextTakeover;
        this.decompressNoContextTakeover = decompressNoContextTakeover;
    }

    /** Compresses one whole message; the result goes into the payload of frames whose first has RSV1 set. */
    public byte[] compress(byte[] message) {
        if (smallWindow != null) {
            return smallWindow.compress(message);
        }
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 64);
        byte[] buffer = new byte[16 * 1024];
        int produced;
        do {
            produced = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, produced);
        } while (produced == buffer.length);
        byte[] compressed = out.toByteArray();
        if (compressNoContextTakeover) {
            deflater.reset();
        }
        if (!endsWithTail(compressed)) {
            throw new IllegalStateException("sync flush did not end with 0000ffff: " + Hex.preview(compressed));
        }
        return Arrays.copyOf(compressed, compressed.length - TAIL.length);
    }

    /**
     * Decompresses one whole message (the concatenated payloads of its frames).
     *
     * @throws DataFormatException when the testee's data is not valid DEFLATE
     */
    public byte[] decompress(byte[] compressed) throws DataFormatException {
        // RFC 7692 §7.2.2: "Append 4 octets of 0x00 0x00 0xff 0xff to the tail end of the payload of the message."
        byte[] input = Arrays.copyOf(compressed, compressed.length + TAIL.length);
        System.arraycopy(TAIL, 0, input, compressed.length, TAIL.length);
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4 + 64);
        byte[] buffer = new byte[32 * 1024];
        while (!inflater.finished()) {
            int produced = inflater.inflate(buffer);
            out.write(buffer, 0, produced);
            if (produced == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                break;
            }
        }
        if (inflater.finished() || decompressNoContextTakeover) {
            // A block with BFINAL set ends the DEFLATE stream: the next message starts a new one.
            inflater.reset();
        }
        return out.toByteArray();
    }

    private static boolean endsWithTail(byte[] data) {
        if (data.length < TAIL.length) {
            return false;
        }
        for (int i = 0; i < TAIL.length; i++) {
            if (data[data.length - TAIL.length + i] != TAIL[i]) {
                return false;
            }
        }
        return true;
    }
}
