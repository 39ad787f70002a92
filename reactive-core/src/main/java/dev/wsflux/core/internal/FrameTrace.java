package dev.wsflux.core.internal;

import dev.wsflux.protocol.FrameObserver;
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
 * {@code Loggers} use SLF4J when it is present.
 *
 * <p>Fed by the {@link SessionFrameObserver} of each connection, it sees what the protocol sees: the Pongs and
 * Closes the protocol writes on its own included, payloads decompressed, RSV bits as on the wire ({@code
 * rsv1}: compressed). Whether a connection is traced is decided when it is made ({@link #enabled()}), so that
 * a connection made while DEBUG is off costs nothing per frame. Stateless; thread-safe.
 */
final class FrameTrace {
    /** About one terminal line, as in {@code websockets}' frame logging. */
    static final int MAX_PREVIEW = 75;

    /** The logger's name: a stable, documented name users switch on (it predates this package). */
    static final String LOGGER_NAME = "dev.wsflux.core.FrameTrace";

    private static final Logger LOG = Loggers.getLogger(LOGGER_NAME);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private FrameTrace() {}

    /** Whether tracing is on, for the connections made now. */
    static boolean enabled() {
        return LOG.isDebugEnabled();
    }

    /** Logs one frame of connection {@code id}: {@code [id] > PONG fin [2 bytes] 6869}. */
    static void log(
            String id, FrameObserver.Direction direction, Opcode opcode, boolean fin, int rsvBits, ByteBuffer payload) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "[{}] {} {}",
                    id,
                    direction == FrameObserver.Direction.RECEIVED ? "<" : ">",
                    describe(opcode, fin, rsvBits, payload));
        }
    }

    /** One line: {@code TEXT fin rsv1 [5 bytes] "hello"}. Does not move {@code payload}'s position. */
    static String describe(Opcode opcode, boolean fin, int rsvBits, ByteBuffer payload) {
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
