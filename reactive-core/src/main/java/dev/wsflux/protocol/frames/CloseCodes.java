package dev.wsflux.protocol.frames;

/**
 * WebSocket close codes and the rules on which may be sent and received.
 *
 * <p>From <a href="https://www.rfc-editor.org/rfc/rfc6455#section-7.4">RFC 6455 §7.4</a> and the
 * <a href="https://www.iana.org/assignments/websocket/websocket.xml#close-code-number">IANA registry</a>
 * (1012–1014 were registered after the RFC). 1005, 1006 and 1015 are reserved for reporting and never
 * go on the wire.
 */
public final class CloseCodes {
    /** 1000: the purpose for which the connection was established has been fulfilled. */
    public static final int NORMAL_CLOSURE = 1000;
    /** 1001: an endpoint is going away, such as a server shutting down or a browser leaving a page. */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer violated the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: the endpoint received a type of data it cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: reporting only: the Close frame carried no status code. */
    public static final int NO_STATUS_RCVD = 1005;
    /** 1006: reporting only: the connection closed without a Close frame. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** 1007: a message's data was not consistent with its type (invalid UTF-8 in text). */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: a message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a message was too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client expected the server to negotiate an extension that it did not. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the server met an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: the service is restarting (IANA). */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later (IANA). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: a gateway or proxy received an invalid response from the upstream server (IANA). */
    public static final int BAD_GATEWAY = 1014;
    /** 1015: reporting only: the TLS handshake failed. */
    public static final int TLS_HANDSHAKE = 1015;

    private CloseCodes() {}

    /**
     * Returns whether {@code code} may appear in a Close frame: 1000–1003, 1007–1014, and the
     * ranges 3000–3999 (registered) and 4000–4999 (private use). Everything else is a protocol
     * error when received (§7.4.1, §7.4.2).
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /** Returns whether this endpoint may send {@code code}: the same set as {@link #isValidOnWire(int)}. */
    public static boolean isSendable(int code) {
        return isValidOnWire(code);
    }

    /** Returns whether a received Close frame may carry {@code code}. */
    public static boolean isReceivable(int code) {
        return isValidOnWire(code);
    }

    /** Returns whether {@code code} ends a connection normally: 1000, 1001 or 1005. */
    public static boolean isOk(int code) {
        return code == NORMAL_CLOSURE || code == GOING_AWAY || code == NO_STATUS_RCVD;
    }

    /** Returns a short English explanation of {@code code}, for logs and messages. */
    public static String describe(int code) {
        return switch (code) {
            case NORMAL_CLOSURE -> "OK";
            case GOING_AWAY -> "going away";
            case PROTOCOL_ERROR -> "protocol error";
            case UNSUPPORTED_DATA -> "unsupported data";
            case NO_STATUS_RCVD -> "no status received [internal]";
            case ABNORMAL_CLOSURE -> "connection closed abnormally [internal]";
            case INVALID_PAYLOAD -> "invalid frame payload data";
            case POLICY_VIOLATION -> "policy violation";
            case MESSAGE_TOO_BIG -> "message too big";
            case MANDATORY_EXTENSION -> "mandatory extension";
            case INTERNAL_ERROR -> "internal error";
            case SERVICE_RESTART -> "service restart";
            case TRY_AGAIN_LATER -> "try again later";
            case BAD_GATEWAY -> "bad gateway";
            case TLS_HANDSHAKE -> "TLS handshake failure [internal]";
            default -> {
                if (code >= 3000 && code < 4000) {
                    yield "registered";
                } else if (code >= 4000 && code < 5000) {
                    yield "private use";
                }
                yield "unknown";
            }
        };
    }
}
