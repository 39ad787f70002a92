package dev.wsflux.protocol.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitsTest {

    private static List<String> show(Splits.Chunking chunking) {
        List<String> chunks = new ArrayList<>();
        for (ByteBuffer chunk : chunking.chunks()) {
            chunks.add(Hex.encode(chunk));
        }
        return chunks;
    }

    @Test
    void givesWholeEveryTwoWaySplitAndOneByteAtATime() {
        List<Splits.Chunking> chunkings = Splits.of(Hex.decode("01 02 03"));
        assertEquals(6, chunkings.size());
        assertEquals(List.of("01 02 03"), show(chunkings.get(0)));
        assertEquals(List.of("", "01 02 03"), show(chunkings.get(1)));
        assertEquals(List.of("01", "02 03"), show(chunkings.get(2)));
        assertEquals(List.of("01 02", "03"), show(chunkings.get(3)));
        assertEquals(List.of("01 02 03", ""), show(chunkings.get(4)));
        assertEquals(List.of("01", "02", "03"), show(chunkings.get(5)));
        assertEquals("split at 1", chunkings.get(2).toString());
        assertThrows(IndexOutOfBoundsException.class, () -> chunkings.get(6));
    }

    @Test
    void givesFreshBuffersOverACopy() {
        byte[] input = Hex.decode("01 02");
        List<Splits.Chunking> chunkings = Splits.of(input);
        input[0] = 0x7f;
        ByteBuffer first = chunkings.get(0).chunks().get(0);
        first.position(first.limit());
        assertEquals("01 02", Hex.encode(chunkings.get(0).chunks().get(0)));
    }

    @Test
    void cutsIntoFixedSizeChunks() {
        assertEquals(List.of("01 02", "03 04", "05"), show(Splits.chunksOf(Hex.decode("01 02 03 04 05"), 2)));
        assertThrows(IllegalArgumentException.class, () -> Splits.chunksOf(new byte[1], 0));
    }
}
