package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.protocol.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OutboundWriterTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final OutboundWriter writer = new OutboundWriter(channel, () -> {});

    @AfterEach
    void releaseEverything() {
        writer.close();
        drain();
        channel.finishAndReleaseAll();
    }

    @Nested
    class Batching {
        @Test
        void copiesSmallBuffersIntoOneWriteInOrder() {
            writer.write(List.of(bytes(32, 1), bytes(32, 2), bytes(100, 3)));

            channel.runPendingTasks();

            List<byte[]> writes = drain();
            assertEquals(1, writes.size(), "one write for the batch (empty markers aside)");
            assertArrayEquals(concat(bytes(32, 1), bytes(32, 2), bytes(100, 3)), writes.get(0));
            assertEquals(164, writer.bytesWritten());
        }

        @Test
        void aFlushedBatchIsOneOutboundMessageWithNoEmptyMarkerBehindIt() {
            writer.write(List.of(bytes(32, 1), bytes(32, 2)));

            channel.runPendingTasks();

            assertEquals(1, channel.outboundMessages().size(), "the batch carries the flush's listener");
            assertArrayEquals(concat(bytes(32, 1), bytes(32, 2)), drain().get(0));
        }

        @Test
        void aBatchStartsSmallGrowsUpTo16KiBAndTheNextStartsAtTheLastOnesSize() {
            writer.write(List.of(bytes(38, 1)));
            channel.runPendingTasks();
            ByteBuf first = channel.readOutbound();
            assertEquals(OutboundWriter.MIN_BATCH, first.capacity(), "a short reply gets a small buffer");
            first.release();

            List<ByteBuffer> frames = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                frames.add(bytes(38, i));
            }
            writer.write(frames);
            channel.runPendingTasks();
            ByteBuf grown = channel.readOutbound();
            assertEquals(3800, grown.readableBytes());
            assertTrue(grown.capacity() >= 3800 && grown.maxCapacity() == OutboundWriter.BATCH_CAPACITY);
            grown.release();

            writer.write(List.of(bytes(38, 1)));
            channel.runPendingTasks();
            ByteBuf next = channel.readOutbound();
            assertEquals(4096, next.capacity(), "sized for the previous batch: no growth on the way");
            next.release();
        }

        @Test
        void copiesALargeHeapBufferIntoChunksOfAtMost16KiBInOrder() {
            ByteBuffer large = ByteBuffer.allocate(2 * OutboundWriter.CHUNK + 100);
            for (int i = 0; i < large.capacity(); i++) {
                large.put(i, (byte) (i * 31));
            }
            writer.write(List.of(bytes(10, 1), large.duplicate()));

            channel.runPendingTasks();

            List<byte[]> writes = drain();
            assertEquals(4, writes.size(), "the batch, then three chunks");
            assertArrayEquals(array(bytes(10, 1)), writes.get(0));
            assertEquals(OutboundWriter.CHUNK, writes.get(1).length);
            assertEquals(OutboundWriter.CHUNK, writes.get(2).length);
            assertEquals(100, writes.get(3).length);
            assertArrayEquals(
                    array(large),
                    concat(
                            ByteBuffer.wrap(writes.get(1)),
                            ByteBuffer.wrap(writes.get(2)),
                            ByteBuffer.wrap(writes.get(3))));
            assertEquals(10 + large.capacity(), writer.bytesWritten());
        }

        @Test
        void writesTheBatchBeforeALargerBufferWhichIsWrappedAsItIs() {
            ByteBuffer large = bytes(OutboundWriter.MAX_COPIED + 1, 7);
            writer.write(List.of(bytes(10, 1), large.duplicate(), bytes(10, 2)));

            channel.runPendingTasks();

            List<byte[]> writes = drain();
            assertEquals(3, writes.size());
            assertArrayEquals(array(bytes(10, 1)), writes.get(0));
            assertArrayEquals(array(large), writes.get(1));
            assertArrayEquals(array(bytes(10, 2)), writes.get(2));
        }

        @Test
        void copiesABufferOfExactlyMaxCopiedBytes() {
            writer.write(List.of(bytes(1, 1), bytes(OutboundWriter.MAX_COPIED, 2)));

            channel.runPendingTasks();

            List<byte[]> writes = drain();
            assertEquals(1, writes.size());
            assertArrayEquals(concat(bytes(1, 1), bytes(OutboundWriter.MAX_COPIED, 2)), writes.get(0));
        }

        @Test
        void handsANearlyFullBatchToTheChannelBeforeTheFlushSoTheWriteLimitSeesIt() {
            List<ByteBuffer> frames = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                frames.add(bytes(3000, i));
            }
            writer.write(frames);
            assertTrue(channel.outboundMessages().isEmpty(), "12000 bytes stay in the batch");

            // 15000 bytes leave less than MAX_COPIED free in the 16 KiB batch: it is handed over at once.
            writer.write(List.of(bytes(3000, 4)));
            assertFalse(channel.outboundMessages().isEmpty(), "the batch reached the channel");
            writer.write(List.of(bytes(3000, 9)));
            channel.runPendingTasks();

            List<byte[]> writes = drain();
            assertEquals(2, writes.size());
            assertArrayEquals(
                    concat(bytes(3000, 0), bytes(3000, 1), bytes(3000, 2), bytes(3000, 3), bytes(3000, 4)),
                    writes.get(0));
            assertArrayEquals(array(bytes(3000, 9)), writes.get(1));
        }

        @Test
        void keepsTheOrderOfManyMixedBuffers() {
            List<ByteBuffer> frames = new ArrayList<>();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                int size = i % 7 == 0 ? OutboundWriter.MAX_COPIED + 100 * i : 1 + 37 * i;
                ByteBuffer frame = bytes(size, i);
                expected.writeBytes(array(frame));
                frames.add(frame);
            }
            writer.write(frames);

            channel.runPendingTasks();

            assertArrayEquals(expected.toByteArray(), joined(drain()));
        }
    }

    @Nested
    class Completion {
        @Test
        void whenWrittenCompletesAfterTheBatchedBytesReachedTheChannel() {
            AtomicReference<Boolean> written = new AtomicReference<>();
            writer.write(List.of(bytes(20, 1)));
            writer.whenWritten(written::set);

            assertNull(written.get());
            channel.runPendingTasks();

            assertEquals(Boolean.TRUE, written.get());
            assertArrayEquals(array(bytes(20, 1)), drain().get(0));
        }

        @Test
        void whenWrittenOnAClosedChannelReportsBatchedBytesAsNotWritten() {
            writer.write(List.of(bytes(20, 1)));
            closeBeforeTheFlush();
            AtomicReference<Boolean> written = new AtomicReference<>();

            writer.whenWritten(written::set);

            assertEquals(Boolean.FALSE, written.get());
        }

        @Test
        void whenWrittenOnAClosedChannelReportsAFlushedBatchAsWritten() {
            writer.write(List.of(bytes(20, 1)));
            channel.runPendingTasks();
            closeBeforeTheFlush();
            AtomicReference<Boolean> written = new AtomicReference<>();

            writer.whenWritten(written::set);

            assertEquals(Boolean.TRUE, written.get(), "the batch's own write confirmed its bytes");
        }

        @Test
        void eofWritesTheBatchFirstThenClosesTheChannel() {
            writer.write(List.of(bytes(20, 1), Protocol.EOF, bytes(20, 2)));

            assertTrue(writer.eofWritten());
            channel.runPendingTasks();

            assertArrayEquals(array(bytes(20, 1)), joined(drain()));
            assertFalse(channel.isOpen(), "an embedded channel has no half-close: it is closed");
            assertEquals(20, writer.bytesWritten());
        }
    }

    @Nested
    class Release {
        @Test
        void closeReleasesTheBatchThatWasNotHandedOver() {
            writer.write(List.of(bytes(20, 1)));

            writer.close();
            channel.runPendingTasks();

            assertTrue(drain().isEmpty());
            // A leak of the batch would fail this class (LeakCheckExtension, paranoid leak detection).
        }

        @Test
        void flushReleasesTheBatchWhenTheChannelIsNoLongerActive() {
            writer.write(List.of(bytes(20, 1)));

            closeBeforeTheFlush();
            channel.runPendingTasks();

            assertTrue(drain().isEmpty());
        }

        @Test
        void writesNothingOnceTheChannelIsInactive() {
            channel.close();

            writer.write(List.of(bytes(20, 1)));
            channel.runPendingTasks();

            assertEquals(0, writer.bytesWritten());
            assertTrue(drain().isEmpty());
        }
    }

    /**
     * Closes the channel with the flush still scheduled ({@code EmbeddedChannel.close()} would run it
     * first, the pipeline's close doesn't).
     */
    private void closeBeforeTheFlush() {
        channel.pipeline().close();
        assertFalse(channel.isActive());
    }

    /** The non-empty writes that reached the channel, copied out and released. */
    private List<byte[]> drain() {
        List<byte[]> writes = new ArrayList<>();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) message;
            try {
                if (buf.isReadable()) {
                    byte[] bytes = new byte[buf.readableBytes()];
                    buf.readBytes(bytes);
                    writes.add(bytes);
                }
            } finally {
                buf.release();
            }
        }
        return writes;
    }

    /** {@code size} bytes counting up from {@code seed}. */
    private static ByteBuffer bytes(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return ByteBuffer.wrap(bytes);
    }

    private static byte[] array(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static byte[] joined(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] concat(ByteBuffer... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer part : parts) {
            out.writeBytes(array(part));
        }
        return out.toByteArray();
    }
}
