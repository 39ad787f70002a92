package dev.wsflux.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerConnectionTest {

    /** "TEXT fin=0 rsv=4 len=3"-style summaries, without the payload preview. */
    private static List<String> shapes(List<WireFrame> frames) {
        return frames.stream()
                .map(frame -> WireFrame.opcodeName(frame.opcode()) + (frame.fin() ? " fin" : "") + " rsv=" + frame.rsv()
                        + " len=" + frame.payload().length)
                .toList();
    }

    private static byte[] payload(int length) {
        return CaseCatalogue.repeat((byte) 0x2a, length);
    }

    @Test
    void autoFragmentSendsAPayloadUpToTheFragmentSizeInOneFrame() {
        assertEquals(
                List.of("TEXT fin rsv=4 len=0"), shapes(PeerConnection.autoFragment(WireFrame.TEXT, 4, payload(0), 4)));
        assertEquals(
                List.of("TEXT fin rsv=4 len=4"), shapes(PeerConnection.autoFragment(WireFrame.TEXT, 4, payload(4), 4)));
        assertEquals(
                List.of("BINARY fin rsv=0 len=9"),
                shapes(PeerConnection.autoFragment(WireFrame.BINARY, 0, payload(9), 0)));
    }

    @Test
    void autoFragmentEndsALengthThatIsAMultipleOfTheFragmentSizeWithAnEmptyFinalFrame() {
        // Autobahn's loop: a frame is final once i + size passes the end, so 8 octets in 4s take three frames.
        assertEquals(
                List.of("TEXT rsv=4 len=4", "CONT rsv=0 len=4", "CONT fin rsv=0 len=0"),
                shapes(PeerConnection.autoFragment(WireFrame.TEXT, 4, payload(8), 4)));
        assertEquals(
                List.of("BINARY rsv=4 len=4", "CONT rsv=0 len=4", "CONT fin rsv=0 len=1"),
                shapes(PeerConnection.autoFragment(WireFrame.BINARY, 4, payload(9), 4)));
    }
}
