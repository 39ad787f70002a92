package dev.wsflux.protocol.frames;

/**
 * A frame or message exceeded the configured size limit; fails the connection with 1009.
 *
 * <p>The message says how big when that is known (the length a frame header announces): {@code "message too
 * big: 2000 bytes exceeds limit of 1024 bytes"}; a compressed message is decompressed only up to the limit,
 * so its size is not known and the message says {@code "message too big: more than 1024 bytes"}.
 */
public class PayloadTooBigException extends WebSocketProtocolException {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;
    private final boolean sizeKnown;

    /**
     * Creates the exception for a size that is known, such as the length a frame header announces.
     *
     * @param size the size, in bytes
     * @param limit the limit, in bytes
     */
    public PayloadTooBigException(long size, long limit) {
        this(size, limit, true, "message too big: " + size + " bytes exceeds limit of " + limit + " bytes");
    }

    private PayloadTooBigException(long size, long limit, boolean sizeKnown, String message) {
        super(CloseCodes.MESSAGE_TOO_BIG, message);
        this.size = size;
        this.limit = limit;
        this.sizeKnown = sizeKnown;
    }

    /**
     * Creates the exception for a message only known to be larger than {@code limit}: a decompressor stops at
     * the first byte past the limit.
     *
     * @param limit the limit, in bytes
     * @return the exception, whose {@link #size()} is {@code limit + 1}
     */
    public static PayloadTooBigException moreThan(long limit) {
        return new PayloadTooBigException(limit + 1, limit, false, "message too big: more than " + limit + " bytes");
    }

    /** The size that crossed the limit, in bytes: exact when {@link #isSizeKnown()}, else {@code limit + 1}. */
    public long size() {
        return size;
    }

    /** Whether {@link #size()} is the real size, rather than the least size that crosses the limit. */
    public boolean isSizeKnown() {
        return sizeKnown;
    }

    /** The limit, in bytes. */
    public long limit() {
        return limit;
    }
}
