package dev.wsflux.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.wsflux.core.Message;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 6455 §5.4 fragmentation, as seen after the protocol validated it. */
class MessageAssemblerTest {
    private final MessageAssembler assembler = new MessageAssembler();

    private static Frame frame(Opcode opcode, String text, boolean fin) {
        return new Frame(opcode, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), fin);
    }

    @Test
    void anUnfragmentedTextFrameIsOneMessage() {
        Message message = assembler.onFrame(frame(Opcode.TEXT, "hello", true));
        assertEquals(Message.text("hello"), message);
        assertEquals("hello", message.text());
    }

    @Test
    void fragmentsAreJoinedWhenTheFinalOneArrives() {
        assertNull(assembler.onFrame(frame(Opcode.BINARY, "ab", false)));
        assertEquals(2, assembler.bufferedBytes());
        assertNull(assembler.onFrame(frame(Opcode.CONTINUATION, "", false)));
        Message message = assembler.onFrame(frame(Opcode.CONTINUATION, "cd", true));
        assertEquals(Message.binary("abcd".getBytes(StandardCharsets.US_ASCII)), message);
        assertEquals(0, assembler.bufferedBytes());
    }

    @Test
    void aTextMessageMayBeSplitInsideACharacter() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // e2 82 ac
        assertNull(assembler.onFrame(
                new Frame(Opcode.TEXT, ByteBuffer.wrap(euro, 0, 1).slice(), false)));
        Message message = assembler.onFrame(
                new Frame(Opcode.CONTINUATION, ByteBuffer.wrap(euro, 1, 2).slice(), true));
        assertEquals("€", message.text());
    }

    @Test
    void aContinuationWithoutAMessageInProgressIsIgnored() {
        assertNull(assembler.onFrame(frame(Opcode.CONTINUATION, "x", true)));
    }

    @Test
    void aPayloadThatFillsItsArrayIsNotCopied() {
        byte[] bytes = {1, 2, 3};
        assertSame(bytes, MessageAssembler.toArray(ByteBuffer.wrap(bytes)));
    }

    @Test
    void aSlicedOrReadOnlyPayloadIsCopied() {
        byte[] bytes = {1, 2, 3};
        byte[] sliced = MessageAssembler.toArray(ByteBuffer.wrap(bytes, 1, 2));
        assertArrayEquals(new byte[] {2, 3}, sliced);
        byte[] readOnly = MessageAssembler.toArray(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
        assertNotSame(bytes, readOnly);
        assertArrayEquals(bytes, readOnly);
    }
}
