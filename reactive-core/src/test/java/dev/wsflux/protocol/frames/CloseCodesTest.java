package dev.wsflux.protocol.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Close codes: which may go on the wire, which end a connection normally, and how they read in logs. */
class CloseCodesTest {

    /** RFC 6455 §7.4.1, §7.4.2 and the IANA registry. */
    @Nested
    class OnTheWire {
        @ParameterizedTest
        @ValueSource(
                ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
        void definedRegisteredAndPrivateCodesMayBeSentAndReceived(int code) {
            assertTrue(CloseCodes.isValidOnWire(code));
            assertTrue(CloseCodes.isSendable(code));
            assertTrue(CloseCodes.isReceivable(code));
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
        void reservedReportingOnlyAndUnassignedCodesMayNotGoOnTheWire(int code) {
            // 7.4.1: 1004 is reserved; 1005, 1006 and 1015 "MUST NOT be set as a status code in a Close control frame".
            assertFalse(CloseCodes.isValidOnWire(code));
            assertFalse(CloseCodes.isSendable(code));
            assertFalse(CloseCodes.isReceivable(code));
        }
    }

    @Nested
    class NormalClosure {
        @ParameterizedTest
        @ValueSource(ints = {1000, 1001, 1005})
        void normalGoingAwayAndNoStatusAreOk(int code) {
            assertTrue(CloseCodes.isOk(code));
        }

        @ParameterizedTest
        @ValueSource(ints = {1002, 1003, 1006, 1007, 1011, 3000, 4000})
        void everyOtherCodeIsAnError(int code) {
            assertFalse(CloseCodes.isOk(code));
        }
    }

    @Nested
    class Descriptions {
        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "1000 | OK",
                    "1001 | going away",
                    "1002 | protocol error",
                    "1003 | unsupported data",
                    "1005 | no status received [internal]",
                    "1006 | connection closed abnormally [internal]",
                    "1007 | invalid frame payload data",
                    "1008 | policy violation",
                    "1009 | message too big",
                    "1010 | mandatory extension",
                    "1011 | internal error",
                    "1012 | service restart",
                    "1013 | try again later",
                    "1014 | bad gateway",
                    "1015 | TLS handshake failure [internal]"
                })
        void eachNamedCodeHasItsOwnDescription(int code, String description) {
            assertEquals(description, CloseCodes.describe(code));
        }

        @ParameterizedTest
        @ValueSource(ints = {3000, 3500, 3999})
        void codes3000To3999AreRegistered(int code) {
            assertEquals("registered", CloseCodes.describe(code));
        }

        @ParameterizedTest
        @ValueSource(ints = {4000, 4500, 4999})
        void codes4000To4999AreForPrivateUse(int code) {
            assertEquals("private use", CloseCodes.describe(code));
        }

        @ParameterizedTest
        @ValueSource(ints = {-1, 0, 999, 1004, 1016, 2999, 5000, 65535})
        void anythingElseIsUnknown(int code) {
            assertEquals("unknown", CloseCodes.describe(code));
        }
    }
}
