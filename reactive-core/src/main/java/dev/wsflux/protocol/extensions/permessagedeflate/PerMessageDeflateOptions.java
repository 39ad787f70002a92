package dev.wsflux.protocol.extensions.permessagedeflate;

/**
 * The settings of permessage-deflate for one side of a connection: what a client offers, or what a
 * server accepts and asks for (<a href="https://www.rfc-editor.org/rfc/rfc7692#section-7.1">RFC 7692
 * §7.1</a>). Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>The four negotiation settings carry the names of the RFC parameters and mean, for each role:
 *
 * <table>
 *   <caption>How each role uses a setting</caption>
 *   <tr><th>setting</th><th>client (each options value is one offer)</th><th>server</th></tr>
 *   <tr><td>{@code serverNoContextTakeover}</td>
 *       <td>offers {@code server_no_context_takeover}: the server resets its compressor after each
 *       message</td>
 *       <td>always answers {@code server_no_context_takeover}, even when not offered</td></tr>
 *   <tr><td>{@code clientNoContextTakeover}</td>
 *       <td>offers {@code client_no_context_takeover} and resets its own compressor after each message
 *       whatever the answer</td>
 *       <td>always answers {@code client_no_context_takeover}; the server also answers it whenever the
 *       client offers it as a hint, because then the server may release its decompressor between
 *       messages</td></tr>
 *   <tr><td>{@code serverMaxWindowBits}</td>
 *       <td>below 15, offers {@code server_max_window_bits=N}</td>
 *       <td>the largest window the server compresses with: answers
 *       {@code server_max_window_bits=min(offered, N)}, and {@code N} when not offered and below 15</td></tr>
 *   <tr><td>{@code clientMaxWindowBits}</td>
 *       <td>{@code null}: does not offer {@code client_max_window_bits}; 15: offers it without a value
 *       (the server may pick any window); below 15: offers {@code client_max_window_bits=N}</td>
 *       <td>the largest window the server asks clients to compress with: answers
 *       {@code client_max_window_bits=min(offered, N)} when the client offered a value, and {@code N}
 *       when it offered the parameter without a value and {@code N} is below 15; with {@code null} or
 *       15 the server only confirms a value the client offered</td></tr>
 * </table>
 *
 * <p>Windows are in bits (the base-2 logarithm of the LZ77 window size), from 8 (256 bytes) to 15
 * (32 KiB). {@link PerMessageDeflate} explains how a window below 15 is honoured with the JDK's
 * {@link java.util.zip.Deflater}, which cannot be configured with one.
 *
 * @param compressionLevel the zlib level, 0 (store) to 9 (smallest output), default {@value
 *     #DEFAULT_COMPRESSION_LEVEL}
 * @param compressionThreshold messages shorter than this many bytes are sent uncompressed, default
 *     {@value #DEFAULT_COMPRESSION_THRESHOLD}
 * @param serverNoContextTakeover see the table above
 * @param clientNoContextTakeover see the table above
 * @param serverMaxWindowBits see the table above; 8 to 15
 * @param clientMaxWindowBits see the table above; 8 to 15, or {@code null}
 */
public record PerMessageDeflateOptions(
        int compressionLevel,
        int compressionThreshold,
        boolean serverNoContextTakeover,
        boolean clientNoContextTakeover,
        int serverMaxWindowBits,
        Integer clientMaxWindowBits) {

    /**
     * zlib's own default level. On JSON messages of 1 to 16 KiB (see the table in {@link
     * PerMessageDeflate}), level 1 compresses about 2.5 times as fast but its output is 23 to 26%
     * larger; level 9 makes the output under 2% smaller for about 4 times the CPU. Level 6 is the knee
     * of that curve, and the default of zlib, Python's {@code websockets}, OkHttp and Netty.
     */
    public static final int DEFAULT_COMPRESSION_LEVEL = 6;

    /**
     * 128 bytes. Below it, compression saves too little to pay for itself:
     *
     * <ul>
     *   <li>without context takeover, deflate makes JSON messages of up to about 32 bytes larger and
     *       saves about 10% at 64 bytes; with it, a message under 128 bytes saves at most
     *       about 90 bytes, about what the TCP/IP and TLS headers of the segment that carries it cost;
     *   <li>each compressed message costs CPU for little gain: about 9 µs for 128 bytes (JNI calls,
     *       flush, block header);
     *   <li>a connection that only sends small messages (acknowledgements, presence, heartbeats)
     *       never allocates the 256 KiB native compressor at all, since it is created lazily;
     *   <li>from 126 bytes a frame needs a 16-bit extended length, so compressing a 128-byte
     *       message below 126 bytes also saves two header bytes.
     * </ul>
     *
     * OkHttp uses 1024 bytes ("fit comfortably within a single ethernet packet"); that leaves out
     * messages that context takeover compresses to a quarter of their size, so wsflux uses a lower
     * threshold.
     */
    public static final int DEFAULT_COMPRESSION_THRESHOLD = 128;

    /** The smallest window RFC 7692 allows: 8 bits, 256 bytes. */
    public static final int MIN_WINDOW_BITS = 8;

    /** The largest window RFC 7692 allows, and the JDK deflater's only one: 15 bits, 32 KiB. */
    public static final int MAX_WINDOW_BITS = 15;

    /**
     * 12 bits (4 KiB), the server default for both directions, as in Python's {@code websockets}.
     * With a window below 15 bits, {@link PerMessageDeflate} keeps the context between messages as
     * a heap copy of the last 4 KiB instead of a live zlib stream: an idle connection holds 8 KiB of
     * heap and no native memory, and streams of small messages still compress about as well as with
     * a 32 KiB window.
     */
    public static final int DEFAULT_SERVER_WINDOW_BITS = 12;

    /** Checks every value. */
    public PerMessageDeflateOptions {
        if (compressionLevel < 0 || compressionLevel > 9) {
            throw new IllegalArgumentException("compression level out of range 0 to 9: " + compressionLevel);
        }
        if (compressionThreshold < 0) {
            throw new IllegalArgumentException("negative compression threshold: " + compressionThreshold);
        }
        checkWindowBits("serverMaxWindowBits", serverMaxWindowBits);
        if (clientMaxWindowBits != null) {
            checkWindowBits("clientMaxWindowBits", clientMaxWindowBits);
        }
    }

    /**
     * The client defaults: level 6, threshold 128 bytes, context takeover both ways, a 15-bit server
     * window, and {@code client_max_window_bits} offered without a value. The offer is
     * {@code permessage-deflate; client_max_window_bits}, as browsers send it.
     */
    public static PerMessageDeflateOptions clientDefaults() {
        return new PerMessageDeflateOptions(
                DEFAULT_COMPRESSION_LEVEL,
                DEFAULT_COMPRESSION_THRESHOLD,
                false,
                false,
                MAX_WINDOW_BITS,
                MAX_WINDOW_BITS);
    }

    /**
     * The server defaults: the client defaults with 12-bit windows both ways
     * ({@value #DEFAULT_SERVER_WINDOW_BITS}), which keep an idle connection's compression state to
     * 8 KiB of heap.
     */
    public static PerMessageDeflateOptions serverDefaults() {
        return new PerMessageDeflateOptions(
                DEFAULT_COMPRESSION_LEVEL,
                DEFAULT_COMPRESSION_THRESHOLD,
                false,
                false,
                DEFAULT_SERVER_WINDOW_BITS,
                DEFAULT_SERVER_WINDOW_BITS);
    }

    /** A builder holding the {@linkplain #clientDefaults() client defaults}. */
    public static Builder builder() {
        return new Builder(clientDefaults());
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void checkWindowBits(String name, int bits) {
        if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
            throw new IllegalArgumentException(name + " out of range 8 to 15: " + bits);
        }
    }

    /** Builds {@link PerMessageDeflateOptions}. Not thread-safe. */
    public static final class Builder {
        private int compressionLevel;
        private int compressionThreshold;
        private boolean serverNoContextTakeover;
        private boolean clientNoContextTakeover;
        private int serverMaxWindowBits;
        private Integer clientMaxWindowBits;

        private Builder(PerMessageDeflateOptions from) {
            compressionLevel = from.compressionLevel;
            compressionThreshold = from.compressionThreshold;
            serverNoContextTakeover = from.serverNoContextTakeover;
            clientNoContextTakeover = from.clientNoContextTakeover;
            serverMaxWindowBits = from.serverMaxWindowBits;
            clientMaxWindowBits = from.clientMaxWindowBits;
        }

        /** Sets the zlib level, 0 to 9. */
        public Builder compressionLevel(int level) {
            compressionLevel = level;
            return this;
        }

        /** Sets the size in bytes below which messages are sent uncompressed; 0 compresses every message. */
        public Builder compressionThreshold(int bytes) {
            compressionThreshold = bytes;
            return this;
        }

        /** Sets whether {@code server_no_context_takeover} is offered (client) or answered (server). */
        public Builder serverNoContextTakeover(boolean value) {
            serverNoContextTakeover = value;
            return this;
        }

        /** Sets whether {@code client_no_context_takeover} is offered (client) or answered (server). */
        public Builder clientNoContextTakeover(boolean value) {
            clientNoContextTakeover = value;
            return this;
        }

        /** Sets the server's window, 8 to 15 bits. */
        public Builder serverMaxWindowBits(int bits) {
            serverMaxWindowBits = bits;
            return this;
        }

        /** Sets the client's window, 8 to 15 bits, or {@code null} not to negotiate it. */
        public Builder clientMaxWindowBits(Integer bits) {
            clientMaxWindowBits = bits;
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws IllegalArgumentException when a value is out of range
         */
        public PerMessageDeflateOptions build() {
            return new PerMessageDeflateOptions(
                    compressionLevel,
                    compressionThreshold,
                    serverNoContextTakeover,
                    clientNoContextTakeover,
                    serverMaxWindowBits,
                    clientMaxWindowBits);
        }
    }
}
