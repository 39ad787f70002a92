package dev.wsflux.protocol.testing;

import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every way a test should cut its input before feeding a push parser (after the JDK's
 * {@code forEachBufferPartition}): whole, split in two at every position (including the ends, which
 * gives an empty chunk), and one byte at a time.
 *
 * <pre>{@code
 * for (Splits.Chunking chunking : Splits.of(Hex.decode("81 05 48 65 6c 6c 6f"))) {
 *     FrameParser parser = ...;
 *     chunking.chunks().forEach(parser::feed);
 *     assertEquals(..., ..., chunking.name());
 * }
 * }</pre>
 */
public final class Splits {

    private Splits() {}

    /**
     * One way of cutting an input.
     *
     * @param name describes the cut, for assertion messages: {@code "whole"}, {@code "split at 3"},
     *     {@code "one byte at a time"}
     * @param chunks the pieces in order; fresh heap buffers over a private copy of the input, each
     *     positioned inside its array (position = its offset in the input), so that code that ignores
     *     the position or the array offset shows up
     */
    public record Chunking(String name, List<ByteBuffer> chunks) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Returns every chunking of {@code input}: whole, each 2-way split at positions 0 to
     * {@code input.length}, and one byte at a time. The list is computed lazily, one chunking per
     * {@code get}, so that a large input does not hold thousands of copies at once.
     *
     * @param input the bytes to cut; copied once here, and again for each chunking
     * @return {@code input.length + 3} chunkings with fresh buffers
     */
    public static List<Chunking> of(byte[] input) {
        byte[] copy = input.clone();
        return new AbstractList<>() {
            @Override
            public Chunking get(int index) {
                Objects.checkIndex(index, size());
                if (index == 0) {
                    return whole(copy);
                }
                if (index == size() - 1) {
                    return oneByteAtATime(copy);
                }
                return splitAt(copy, index - 1);
            }

            @Override
            public int size() {
                return copy.length + 3;
            }
        };
    }

    /**
     * Returns the input as one chunk.
     *
     * @param input the bytes
     * @return a chunking named {@code "whole"}
     */
    public static Chunking whole(byte[] input) {
        byte[] copy = input.clone();
        return new Chunking("whole", List.of(ByteBuffer.wrap(copy)));
    }

    /**
     * Returns the input cut in two at {@code at}.
     *
     * @param input the bytes
     * @param at the length of the first chunk, 0 to {@code input.length}
     * @return a chunking named {@code "split at <at>"}
     */
    public static Chunking splitAt(byte[] input, int at) {
        byte[] copy = input.clone();
        return new Chunking(
                "split at " + at, List.of(ByteBuffer.wrap(copy, 0, at), ByteBuffer.wrap(copy, at, copy.length - at)));
    }

    /**
     * Returns the input as chunks of one byte.
     *
     * @param input the bytes
     * @return a chunking named {@code "one byte at a time"}
     */
    public static Chunking oneByteAtATime(byte[] input) {
        byte[] copy = input.clone();
        ByteBuffer[] chunks = new ByteBuffer[copy.length];
        for (int i = 0; i < copy.length; i++) {
            chunks[i] = ByteBuffer.wrap(copy, i, 1);
        }
        return new Chunking("one byte at a time", Arrays.asList(chunks));
    }

    /**
     * Returns the input cut into chunks of {@code size} bytes (the last may be shorter), for inputs too
     * large to try every split of.
     *
     * @param input the bytes
     * @param size the chunk length, at least 1
     * @return a chunking named {@code "chunks of <size>"}
     */
    public static Chunking chunksOf(byte[] input, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1: " + size);
        }
        byte[] copy = input.clone();
        List<ByteBuffer> chunks = new ArrayList<>();
        for (int from = 0; from < copy.length; from += size) {
            chunks.add(ByteBuffer.wrap(copy, from, Math.min(size, copy.length - from)));
        }
        return new Chunking("chunks of " + size, chunks);
    }
}
