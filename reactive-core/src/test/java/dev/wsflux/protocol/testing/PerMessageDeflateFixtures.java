package dev.wsflux.protocol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;

/** Test data for permessage-deflate: hex, the zlib fixtures of {@code src/test/resources/deflate}, bombs. */
public final class PerMessageDeflateFixtures {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private static byte[] zeroBomb;

    private PerMessageDeflateFixtures() {}

    /** Bytes from hex with optional spaces: {@code "f2 48 cd"}. */
    public static byte[] bytes(String hex) {
        String compact = hex.replace(" ", "");
        return HexFormat.of().parseHex(compact);
    }

    /** A buffer over {@link #bytes(String)}. */
    public static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    /** The remaining bytes of {@code buffer} as spaced hex, without moving its position. */
    public static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return HEX.formatHex(bytes);
    }

    /** Spaced hex. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** The messages of {@code deflate/messages.txt}, one per line. */
    public static List<byte[]> messages() {
        List<byte[]> messages = new ArrayList<>();
        for (String line : lines("messages.txt")) {
            messages.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return messages;
    }

    /** The payloads of a zlib fixture such as {@code zlib-w12.hex}, one per message. */
    public static List<byte[]> zlibPayloads(String file) {
        List<byte[]> payloads = new ArrayList<>();
        for (String line : lines(file)) {
            payloads.add(bytes(line));
        }
        return payloads;
    }

    /**
     * A raw DEFLATE stream, flushed, that inflates to 1 GiB of zeros: about 1 MB, as deflate expands
     * at most about 1032 times. Made from two 4 MiB chunks: once the window is full of zeros, every
     * further chunk compresses to the same bytes (checked on a third chunk), so the stream is the first
     * chunk followed by 255 copies of the second.
     */
    public static synchronized byte[] zeroBomb() {
        if (zeroBomb == null) {
            Deflater deflater = new Deflater(9, true);
            try {
                byte[] zeros = new byte[4 << 20];
                byte[] first = flushed(deflater, zeros);
                byte[] steady = flushed(deflater, zeros);
                if (!Arrays.equals(steady, flushed(deflater, zeros))) {
                    throw new IllegalStateException("zlib did not reach a steady state");
                }
                byte[] bomb = Arrays.copyOf(first, first.length + 255 * steady.length);
                for (int i = 0; i < 255; i++) {
                    System.arraycopy(steady, 0, bomb, first.length + i * steady.length, steady.length);
                }
                zeroBomb = bomb;
            } finally {
                deflater.end();
            }
        }
        return zeroBomb;
    }

    private static byte[] flushed(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        byte[] output = new byte[64 * 1024];
        int length = 0;
        while (true) {
            int count = deflater.deflate(output, length, output.length - length, Deflater.SYNC_FLUSH);
            length += count;
            if (length < output.length) {
                return Arrays.copyOf(output, length);
            }
            output = Arrays.copyOf(output, output.length * 2);
        }
    }

    private static List<String> lines(String file) {
        try (InputStream in = PerMessageDeflateFixtures.class.getResourceAsStream("/deflate/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture deflate/" + file);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> lines = Arrays.asList(text.split("\n", -1));
            return lines.subList(0, lines.size() - 1); // the file ends with a line break
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
