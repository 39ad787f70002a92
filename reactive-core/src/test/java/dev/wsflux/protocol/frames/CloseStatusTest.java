package dev.wsflux.protocol.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The status of a Close frame (RFC 6455 §5.5.1). */
class CloseStatusTest {

    private static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Nested
    class Payload {
        @Test
        void aCodeAndReasonSerializeAsTwoBigEndianBytesThenUtf8() {
            // 03e8 = 1000, then "bye"; 0fa0 = 4000, then "é" as c3 a9
            assertEquals("03e8627965", hex(new CloseStatus(1000, "bye").toPayload()));
            assertEquals("0fa0c3a9", hex(new CloseStatus(4000, "é").toPayload()));
        }

        @Test
        void aCodeAboveShortMaxIsWrittenUnsigned() {
            assertEquals("fde8", hex(new CloseStatus(65000, "").toPayload())); // 65000 = 0xfde8
        }

        @Test
        void noStatusSerializesAsAnEmptyPayload() {
            // 5.5.1: a Close frame "MAY contain a body"; 1005 stands for its absence.
            assertEquals(
                    0,
                    new CloseStatus(CloseCodes.NO_STATUS_RCVD, "").toPayload().remaining());
        }

        @Test
        void theLongestReasonFillsAControlFrame() {
            assertEquals(123, CloseStatus.MAX_REASON_BYTES);
            ByteBuffer payload = new CloseStatus(1000, "x".repeat(CloseStatus.MAX_REASON_BYTES)).toPayload();
            assertEquals(125, payload.remaining());
        }
    }

    @Nested
    class Reporting {
        @Test
        void okOnlyForNormalGoingAwayAndNoStatus() {
            assertTrue(new CloseStatus(1000, "").isOk());
            assertTrue(new CloseStatus(1001, "").isOk());
            assertTrue(new CloseStatus(1005, "").isOk());
            assertFalse(new CloseStatus(1011, "").isOk());
        }

        @Test
        void toStringShowsCodeDescriptionAndReasonWhenThereIsOne() {
            assertEquals("1000 (OK)", new CloseStatus(1000, "").toString());
            assertEquals("1011 (internal error) oops", new CloseStatus(1011, "oops").toString());
            assertEquals("4001 (private use) custom", new CloseStatus(4001, "custom").toString());
        }

        @Test
        void aNullReasonIsRejected() {
            assertThrows(NullPointerException.class, () -> new CloseStatus(1000, null));
        }
    }
}
