package dev.wsflux.core.internal;

import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.Opcode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Logs every frame at DEBUG on the logger {@code dev.wsflux.core.FrameTrace}: direction ({@code <}
 * received, {@code >} sent), opcode, flags, length and the payload elided to about 75 characters (text as
 * text, binary as hex). The equivalent of {@code websocket-client}'s {@code enableTrace}. Reactor's
 * {@code Loggers} use SLF4J when it is present. Stateless (no object per connection); thread-safe.
 *
 * <p>Outbound frames are logged as the application handed them to the protocol, before extensions
 * (such as permessage-deflate) transform them: {@code compress} says whether compression was allowed.
 */
final class FrameTrace {
    /** About one terminal line, as in {@code websockets}' frame logging. */
    static final int MAX_PREVIEW = 75;

    /** The logger's name: a stable, documented name users switch on (it predates this package). */
    static final String LOGGER_NAME = "dev.wsflux.core.FrameTrace";

    private static final Logger LOG = Loggers.getLogger(LOGGER_NAME);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private FrameTrace() {}

    /** Whether tracing is on: callers check it before building arguments (such as the connection id). */
    static boolean enabled() {
        return LOG.isDebugEnabled();
    }

    /** Logs a frame received on connection {@code id}. */
    static void received(String id, Frame frame) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] < {}", id, describe(frame.opcode(), frame.fin(), frame.rsvBits(), frame.payload(), null));
        }
    }

    /** Logs a frame handed to the protocol for sending on connection {@code id}. */
    static void sent(String id, Opcode opcode, boolean fin, boolean compress, ByteBuffer payload) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] > {}", id, describe(opcode, fin, 0, payload, compress));
        }
    }

    /** One line: {@code TEXT fin rsv1 [5 bytes] "hello"}. */
    static String describe(Opcode opcode, boolean fin, int rsvBits, ByteBuffer payload, Boolean compress) {
        StringBuilder line = new StringBuilder(32 + MAX_PREVIEW).append(opcode);
        if (fin) {
            line.append(" fin");
        }
        if ((rsvBits & 0b100) != 0) {
            line.append(" rsv1");
        }
        if ((rsvBits & 0b010) != 0) {
            line.append(" rsv2");
        }
        if ((rsvBits & 0b001) != 0) {
            line.append(" rsv3");
        }
        if (Boolean.FALSE.equals(compress)) {
            line.append(" uncompressed");
        }
        line.append(" [").append(payload.remaining()).append(" bytes]");
        if (payload.hasRemaining()) {
            line.append(' ').append(preview(opcode, payload));
        }
        return line.toString();
    }

    private static String preview(Opcode opcode, ByteBuffer payload) {
        ByteBuffer data = payload.duplicate();
        if (opcode == Opcode.CLOSE && data.remaining() >= 2) {
            int code = data.getShort() & 0xFFFF;
            return code + (data.hasRemaining() ? " " + elide(text(data)) : "");
        }
        if (opcode == Opcode.TEXT || opcode == Opcode.CONTINUATION) {
            String text = text(data);
            if (text != null) {
                return elide(text);
            }
        }
        return hex(data);
    }

    /** Strict UTF-8 decoding; {@code null} when the bytes are not text (binary or a cut-off fragment). */
    private static String text(ByteBuffer data) {
        try {
            return "\""
                    + StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(data.duplicate())
                    + "\"";
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String elide(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_PREVIEW ? text : text.substring(0, MAX_PREVIEW - 1) + "…";
    }

    private static String hex(ByteBuffer data) {
        // Two characters per byte: 37 bytes fill the preview.
        int shown = Math.min(data.remaining(), MAX_PREVIEW / 2);
        StringBuilder hex = new StringBuilder(shown * 2 + 1);
        for (int i = 0; i < shown; i++) {
            int b = data.get(data.position() + i) & 0xFF;
            hex.append(HEX[b >>> 4]).append(HEX[b & 0xF]);
        }
        if (shown < data.remaining()) {
            hex.append('…');
        }
        return hex.toString();
    }
}
