package dev.wsflux.samples;

import dev.wsflux.core.Message;
import dev.wsflux.protocol.FrameObserver;
import dev.wsflux.protocol.frames.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How the samples print messages and frames: text with its control characters escaped (so that a peer
 * cannot drive the terminal with escape sequences), binary as lower-case hex. Stateless; thread-safe.
 */
final class MessageFormat {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** About one terminal line for a frame's payload, as the library's frame trace shows it. */
    static final int MAX_PREVIEW = 75;

    private MessageFormat() {}

    /** Text escaped, or binary as hex. */
    static String payload(Message message) {
        return message.isText() ? escape(message.text()) : hex(message.payload());
    }

    /** {@code text: …} or {@code binary: …}, the opcode name first as {@code wsdump -v} shows it. */
    static String withOpcode(Message message) {
        return (message.isText() ? "text: " : "binary: ") + payload(message);
    }

    /**
     * One frame as {@code wsdump -v} shows it: direction ({@code <} received, {@code >} sent), opcode, flags,
     * length and a preview of about {@value #MAX_PREVIEW} characters: {@code > PONG [2 bytes] 6869}, {@code < TEXT
     * fin rsv1 [5 bytes] "hello"}, {@code < CLOSE [5 bytes] 1000 bye}. Control frames are always final, so
     * {@code fin} is shown for data frames only. Text is escaped as {@link #escape} does.
     *
     * @param text whether the payload is text: a text frame, or a continuation of a text message
     */
    static String frame(
            FrameObserver.Direction direction,
            Opcode opcode,
            boolean fin,
            int rsvBits,
            ByteBuffer payload,
            boolean text) {
        StringBuilder line = new StringBuilder(48 + MAX_PREVIEW)
                .append(direction == FrameObserver.Direction.RECEIVED ? "< " : "> ")
                .append(opcode);
        if (fin && opcode.isData()) {
            line.append(" fin");
        }
        String[] names = {" rsv1", " rsv2", " rsv3"};
        for (int bit = 0; bit < 3; bit++) {
            if ((rsvBits & (0b100 >> bit)) != 0) {
                line.append(names[bit]);
            }
        }
        line.append(" [").append(payload.remaining()).append(payload.remaining() == 1 ? " byte]" : " bytes]");
        if (payload.hasRemaining()) {
            line.append(' ').append(preview(opcode, payload, text));
        }
        return line.toString();
    }

    private static String preview(Opcode opcode, ByteBuffer payload, boolean text) {
        ByteBuffer data = payload.duplicate();
        if (opcode == Opcode.CLOSE && data.remaining() >= 2) {
            int code = data.getShort() & 0xFFFF;
            return code
                    + (data.hasRemaining()
                            ? " "
                                    + elide(escape(
                                            StandardCharsets.UTF_8.decode(data).toString()))
                            : "");
        }
        if (text) {
            // A frame may end inside a character: its bytes show as U+FFFD, which is good enough for a preview.
            return '"' + elide(escape(StandardCharsets.UTF_8.decode(data).toString())) + '"';
        }
        int shown = Math.min(data.remaining(), MAX_PREVIEW / 2); // two hex digits per byte
        ByteBuffer head = data.slice(data.position(), shown);
        return hex(head) + (shown < data.remaining() ? "…" : "");
    }

    private static String elide(String text) {
        return text.length() <= MAX_PREVIEW ? text : text.substring(0, MAX_PREVIEW - 1) + "…";
    }

    /**
     * {@code text} with C0 and C1 control characters and DEL escaped: {@code \n}, {@code \r}, {@code \t},
     * {@code \\} and {@code \xHH} / {@code \u009b}.
     */
    static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = replacement(c);
            if (replacement != null && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped != null) {
                if (replacement != null) {
                    escaped.append(replacement);
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    private static String replacement(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case '\\':
                return "\\\\";
            default:
                if (c < 0x20 || c == 0x7f) {
                    return "\\x" + HEX[c >>> 4] + HEX[c & 0xF];
                }
                if (c >= 0x80 && c <= 0x9f) {
                    return String.format("\\u%04x", (int) c);
                }
                return null;
        }
    }

    /** The remaining bytes of {@code bytes} as lower-case hex, without moving its position. */
    static String hex(ByteBuffer bytes) {
        StringBuilder hex = new StringBuilder(bytes.remaining() * 2);
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            int b = bytes.get(i) & 0xFF;
            hex.append(HEX[b >>> 4]).append(HEX[b & 0xF]);
        }
        return hex.toString();
    }
}
