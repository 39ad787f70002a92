package dev.wsflux.core.internal;

import dev.wsflux.core.Message;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.Opcode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins the data frames of one message into a {@link Message}
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.4">RFC 6455 §5.4</a>). Not thread-safe: one
 * per connection, used on its event loop.
 *
 * <p>The protocol has already checked the fragmentation rules, the size limit and UTF-8, so this class
 * only collects payloads and copies them once, into the message's array, when the last fragment
 * arrives. An unfragmented message whose payload fills its own array is handed over without a copy.
 */
final class MessageAssembler {
    private Opcode opcode;
    // The fragments of the message in progress; made per fragmented message, dropped when it completes.
    private List<ByteBuffer> parts;
    private long size;

    /**
     * Takes the next data frame.
     *
     * @return the message it completes, or {@code null} while more fragments are expected
     */
    Message onFrame(Frame frame) {
        if (frame.opcode() != Opcode.CONTINUATION) {
            if (frame.fin()) {
                return message(frame.opcode(), toArray(frame.payload()));
            }
            opcode = frame.opcode();
            parts = new ArrayList<>();
            size = 0;
        } else if (opcode == null) {
            // The protocol rejects a continuation without a message in progress; nothing to join.
            return null;
        }
        parts.add(frame.payload());
        size += frame.length();
        if (!frame.fin()) {
            return null;
        }
        byte[] all = new byte[Math.toIntExact(size)];
        int offset = 0;
        for (ByteBuffer part : parts) {
            int length = part.remaining();
            part.duplicate().get(all, offset, length);
            offset += length;
        }
        Opcode type = opcode;
        opcode = null;
        parts = null;
        size = 0;
        return message(type, all);
    }

    /** The payload bytes held for a message in progress. */
    long bufferedBytes() {
        return size;
    }

    private static Message message(Opcode opcode, byte[] bytes) {
        return opcode == Opcode.TEXT ? Session.textMessage(bytes) : Session.binaryMessage(bytes);
    }

    /** The payload as an array, without a copy when the buffer spans exactly its whole backing array. */
    static byte[] toArray(ByteBuffer payload) {
        if (payload.hasArray()
                && payload.arrayOffset() == 0
                && payload.position() == 0
                && payload.remaining() == payload.array().length) {
            return payload.array();
        }
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        return copy;
    }
}
