package dev.wsflux.protocol.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How a closed connection is reported (RFC 6455 §7.1.5, §7.1.6). */
class ConnectionClosedExceptionTest {

    private static final CloseStatus NORMAL = new CloseStatus(1000, "");
    private static final CloseStatus GOING_AWAY = new CloseStatus(1001, "bye");
    private static final CloseStatus ERROR = new CloseStatus(1011, "oops");

    @Nested
    class OkOrError {
        @ParameterizedTest
        @ValueSource(ints = {1000, 1001, 1005})
        void bothFramesWithANormalCodeIsOk(int code) {
            CloseStatus status = new CloseStatus(code, "");
            ConnectionClosedException closed = ConnectionClosedException.of(status, NORMAL, Boolean.TRUE, null);
            assertInstanceOf(ConnectionClosedOkException.class, closed);
            assertTrue(closed.isOk());
        }

        @Test
        void anErrorCodeReceivedIsAnError() {
            ConnectionClosedException closed = ConnectionClosedException.of(ERROR, NORMAL, Boolean.TRUE, null);
            assertInstanceOf(ConnectionClosedErrorException.class, closed);
            assertFalse(closed.isOk());
        }

        @Test
        void anErrorCodeSentIsAnError() {
            assertFalse(ConnectionClosedException.of(NORMAL, ERROR, Boolean.FALSE, null)
                    .isOk());
        }

        @Test
        void aMissingReceivedFrameIsAnError() {
            // 7.1.5: without a received Close frame the close code is 1006, an abnormal closure.
            assertFalse(ConnectionClosedException.of(null, NORMAL, null, null).isOk());
        }

        @Test
        void aMissingSentFrameIsAnError() {
            assertFalse(ConnectionClosedException.of(NORMAL, null, null, null).isOk());
        }

        @Test
        void neitherFrameIsAnError() {
            assertFalse(ConnectionClosedException.of(null, null, null, null).isOk());
        }
    }

    @Nested
    class Messages {
        @Test
        void neitherFrame() {
            assertEquals(
                    "no close frame received or sent",
                    ConnectionClosedException.of(null, null, null, null).getMessage());
        }

        @Test
        void onlyAFrameSent() {
            assertEquals(
                    "sent 1000 (OK); no close frame received",
                    ConnectionClosedException.of(null, NORMAL, null, null).getMessage());
        }

        @Test
        void onlyAFrameReceived() {
            assertEquals(
                    "received 1001 (going away) bye; no close frame sent",
                    ConnectionClosedException.of(GOING_AWAY, null, null, null).getMessage());
        }

        @Test
        void receivedThenSentInThatOrder() {
            assertEquals(
                    "received 1001 (going away) bye; then sent 1000 (OK)",
                    ConnectionClosedException.of(GOING_AWAY, NORMAL, Boolean.TRUE, null)
                            .getMessage());
        }

        @Test
        void sentThenReceivedInThatOrder() {
            assertEquals(
                    "sent 1000 (OK); then received 1001 (going away) bye",
                    ConnectionClosedException.of(GOING_AWAY, NORMAL, Boolean.FALSE, null)
                            .getMessage());
        }
    }

    @Test
    void theFramesTheOrderAndTheCauseAreKept() {
        WebSocketProtocolException cause = new WebSocketProtocolException(1002, "bad frame");
        ConnectionClosedException closed = ConnectionClosedException.of(ERROR, GOING_AWAY, Boolean.FALSE, cause);
        assertSame(ERROR, closed.received());
        assertSame(GOING_AWAY, closed.sent());
        assertEquals(Boolean.FALSE, closed.receivedThenSent());
        assertSame(cause, closed.getCause());
    }

    @Test
    void theLibraryMadeOnesCarryNoStackTraceButTheirCauseKeepsItsOwn() {
        WebSocketProtocolException cause = new WebSocketProtocolException(1002, "bad frame");
        ConnectionClosedException ok = ConnectionClosedException.of(NORMAL, NORMAL, Boolean.TRUE, null);
        ConnectionClosedException error = ConnectionClosedException.of(ERROR, null, null, cause);
        assertEquals(0, ok.getStackTrace().length);
        assertEquals(0, error.getStackTrace().length);
        assertTrue(cause.getStackTrace().length > 0);
        assertTrue(new ConnectionClosedErrorException(null, null, null, null).getStackTrace().length > 0);
    }
}
