package dev.wsflux.protocol.frames;

/**
 * The numbers of the WebSocket frame format, in one place
 * (<a href="https://www.rfc-editor.org/rfc/rfc6455#section-5.2">RFC 6455 §5.2</a>):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +-------------------------------- - - - - - - - - - - - - - - - +
 * :                     Payload Data continued ...                :
 * + - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - +
 * </pre>
 */
public final class WireFormat {

    /** The FIN bit of the first byte: the frame ends its message. */
    public static final int FIN = 0x80;

    /** The RSV1 bit of the first byte (permessage-deflate's "compressed" bit, RFC 7692 §6). */
    public static final int RSV1 = 0x40;

    /** The RSV2 bit of the first byte. */
    public static final int RSV2 = 0x20;

    /** The RSV3 bit of the first byte. */
    public static final int RSV3 = 0x10;

    /** The opcode bits of the first byte. */
    public static final int OPCODE = 0x0F;

    /** The MASK bit of the second byte: a masking key follows the length. */
    public static final int MASK = 0x80;

    /** The 7-bit payload length bits of the second byte. */
    public static final int LENGTH_7 = 0x7F;

    /** The largest length the 7-bit field holds itself: 125; 126 and 127 announce extended lengths. */
    public static final int MAX_LENGTH_7 = 125;

    /** A 7-bit length of 126 announces a 16-bit extended length. */
    public static final int LENGTH_16_BIT = 126;

    /** A 7-bit length of 127 announces a 64-bit extended length (its most significant bit must be 0). */
    public static final int LENGTH_64_BIT = 127;

    /** The largest length the 16-bit extended field holds. */
    public static final int MAX_LENGTH_16 = 0xFFFF;

    /** The bytes of a masking key. */
    public static final int MASK_KEY_LENGTH = 4;

    /**
     * The longest header: 2 bytes (FIN, RSV, opcode, MASK, 7-bit length) + 8 (64-bit extended length) + 4
     * (masking key).
     */
    public static final int MAX_HEADER_LENGTH = 2 + 8 + MASK_KEY_LENGTH;

    /**
     * The longest payload of a control frame: §5.5 "All control frames MUST have a payload length of 125
     * bytes or less and MUST NOT be fragmented." It is the longest 7-bit length: a control frame's header is
     * never extended.
     */
    public static final int MAX_CONTROL_PAYLOAD = MAX_LENGTH_7;

    /** The bytes of the status code at the start of a Close frame's payload (§5.5.1). */
    public static final int CLOSE_CODE_LENGTH = 2;

    private WireFormat() {}
}
