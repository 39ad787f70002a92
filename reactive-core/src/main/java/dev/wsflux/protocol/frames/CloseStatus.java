package dev.wsflux.protocol.frames;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The status of a Close frame: a code and a UTF-8 reason of at most 123 bytes
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1">RFC 6455 §5.5.1</a>).
 *
 * <p>A Close frame with no payload is represented by code {@link CloseCodes#NO_STATUS_RCVD} and an
 * empty reason.
 *
 * @param code the close code
 * @param reason the reason, possibly empty, never null
 */
public record CloseStatus(int code, String reason) {

    /** The longest reason that fits in a control frame: 125 bytes minus the 2-byte code. */
    public static final int MAX_REASON_BYTES = WireFormat.MAX_CONTROL_PAYLOAD - WireFormat.CLOSE_CODE_LENGTH;

    /** Requires a non-null reason. */
    public CloseStatus {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * The status of a Close frame an endpoint may send, checked: the one rule for every way of closing
     * (the protocol's {@code sendClose}, a session's {@code close}, a server's {@code shutdown}).
     *
     * <p>A code that may be sent ({@link CloseCodes#isSendable}), or 1005 with an empty reason for a Close
     * frame without a status ("1005 is a reserved value and MUST NOT be set as a status code in a Close
     * control frame", RFC 6455 §7.4.1: it stands for the empty payload). The reason is at most
     * {@value #MAX_REASON_BYTES} UTF-8 bytes.
     *
     * @param code the close code
     * @param reason the reason, possibly empty
     * @return the status
     * @throws IllegalArgumentException for a code that may not be sent, a reason with 1005, a null or too
     *     long reason
     */
    public static CloseStatus forSending(int code, String reason) {
        if (reason == null) {
            throw new IllegalArgumentException("close reason must not be null");
        }
        if (code == CloseCodes.NO_STATUS_RCVD) {
            if (!reason.isEmpty()) {
                throw new IllegalArgumentException("a close reason requires a close code: " + reason);
            }
        } else if (!CloseCodes.isSendable(code)) {
            throw new IllegalArgumentException("invalid close code: " + code);
        }
        int length = reason.getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException(
                    "close reason too long: " + length + " bytes, at most " + MAX_REASON_BYTES);
        }
        return new CloseStatus(code, reason);
    }

    /** Returns whether this status ends a connection normally (1000, 1001 or 1005). */
    public boolean isOk() {
        return CloseCodes.isOk(code);
    }

    /** Serializes this status as a Close payload: empty for 1005, else the code and the reason. */
    public ByteBuffer toPayload() {
        if (code == CloseCodes.NO_STATUS_RCVD) {
            return Frame.emptyPayload();
        }
        byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(2 + reasonBytes.length);
        payload.putShort((short) code).put(reasonBytes).flip();
        return payload;
    }

    @Override
    public String toString() {
        String text = code + " (" + CloseCodes.describe(code) + ")";
        return reason.isEmpty() ? text : text + " " + reason;
    }
}
