package dev.wsflux.protocol;

/** A frame or message exceeded the configured size limit; fails the connection with 1009. */
public class PayloadTooBigException extends WebSocketProtocolException {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    /**
     * Creates the exception.
     *
     * @param size the size seen (or at least the size that crossed the limit), in bytes
     * @param limit the limit, in bytes
     */
    public PayloadTooBigException(long size, long limit) {
        super(CloseCodes.MESSAGE_TOO_BIG, "message too big: " + size + " bytes exceeds limit of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    /** The size that crossed the limit, in bytes. */
    public long size() {
        return size;
    }

    /** The limit, in bytes. */
    public long limit() {
        return limit;
    }
}
