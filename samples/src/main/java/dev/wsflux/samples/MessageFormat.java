package dev.wsflux.samples;

import dev.wsflux.core.Message;
import java.nio.ByteBuffer;

/**
 * How the samples print messages: text with its control characters escaped (so that a peer cannot
 * drive the terminal with escape sequences), binary as lower-case hex. Stateless; thread-safe.
 */
final class MessageFormat {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

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
