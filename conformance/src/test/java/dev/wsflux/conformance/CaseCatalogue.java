package dev.wsflux.conformance;

import static dev.wsflux.conformance.WireFrame.BINARY;
import static dev.wsflux.conformance.WireFrame.CLOSE;
import static dev.wsflux.conformance.WireFrame.CONTINUATION;
import static dev.wsflux.conformance.WireFrame.PING;
import static dev.wsflux.conformance.WireFrame.PONG;
import static dev.wsflux.conformance.WireFrame.TEXT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The 517 cases of Autobahn|Testsuite groups 1–7, 9, 10, 12 and 13 as data, built from the catalogue in
 * {@code shared/conformance/autobahn-cases.md} (payloads as in Autobahn's case sources). Autobahn's timed
 * pauses are replaced by "send, then wait for the reply or a short timeout". The only reduction is the number
 * of messages per 12.x/13.x case (see {@link Reduction}); every case is present. Stateless and thread-safe.
 */
public final class CaseCatalogue {

    /**
     * How much of the 12.x/13.x repetition runs: Autobahn sends 1,000 messages per case (about 11 GB of payload
     * over the 216 cases, far beyond a CI budget); the reduced run sends up to {@code bytesPerCase} bytes per
     * case, at least {@code minMessages} and at most {@code maxMessages} messages. Every case still runs, with
     * its payload sizes, fragment sizes and negotiation parameters.
     *
     * @param full whether to send Autobahn's full 1,000 messages per case
     * @param bytesPerCase payload budget per case when reduced
     * @param minMessages the fewest messages per case when reduced
     * @param maxMessages the most messages per case when reduced
     */
    public record Reduction(boolean full, int bytesPerCase, int minMessages, int maxMessages) {

        /** Autobahn's counts: 1,000 messages per case. */
        public static Reduction none() {
            return new Reduction(true, Integer.MAX_VALUE, 1000, 1000);
        }

        /**
         * From system properties {@code wsflux.conformance.full} (Autobahn's counts), {@code
         * wsflux.conformance.bytesPerCase} (default 1 MiB) and {@code wsflux.conformance.maxMessages} (default
         * 200).
         */
        public static Reduction fromSystemProperties() {
            if (Boolean.getBoolean("wsflux.conformance.full")) {
                return none();
            }
            return new Reduction(
                    false,
                    Integer.getInteger("wsflux.conformance.bytesPerCase", 1 << 20),
                    8,
                    Integer.getInteger("wsflux.conformance.maxMessages", 200));
        }

        /** Messages of {@code size} bytes to send in one case. */
        public int messages(int size) {
            if (full) {
                return 1000;
            }
            return Math.min(Math.min(1000, maxMessages), Math.max(minMessages, bytesPerCase / Math.max(1, size)));
        }
    }

    /** Wait for an echo in the small cases. */
    private static final Duration ECHO_WAIT = Duration.ofSeconds(10);
    /** Time limit of a small case. */
    private static final Duration SMALL_CASE = Duration.ofSeconds(20);
    /** Time limit of a 9.x case (Autobahn allows 100 s and more for the largest). */
    private static final Duration LIMITS_CASE = Duration.ofSeconds(120);
    /** The 6.4.x wait in which the testee must not fail the connection (Autobahn: 1 s pause). */
    private static final Duration QUIET = Duration.ofMillis(250);
    /** The 6.4.x wait in which a fail-fast testee must fail the connection (Autobahn: 1 s pause). */
    private static final Duration FAIL_FAST = Duration.ofSeconds(2);

    private static final byte[] HELLO = ascii("Hello, world!");
    private static final byte[] BINARY_SMALL = Hex.decode("00fffefdfcfb00ff");
    private static final byte[] RESERVED_PAYLOAD = ascii("reserved opcode payload");

    private final Reduction reduction;
    private final List<ConformanceCase> cases = new ArrayList<>();

    private CaseCatalogue(Reduction reduction) {
        this.reduction = reduction;
    }

    /** All cases in catalogue order. */
    public static List<ConformanceCase> all(Reduction reduction) {
        CaseCatalogue catalogue = new CaseCatalogue(reduction);
        catalogue.framing();
        catalogue.pings();
        catalogue.reservedBits();
        catalogue.opcodes();
        catalogue.fragmentation();
        catalogue.utf8();
        catalogue.closing();
        catalogue.limits();
        catalogue.autoFragmentation();
        catalogue.compression();
        return List.copyOf(catalogue.cases);
    }

    // ---- 1 Framing ----------------------------------------------------------------------------------------

    private void framing() {
        int[] sizes = {0, 125, 126, 127, 128, 65535, 65536};
        for (int i = 0; i < sizes.length; i++) {
            byte[] text = repeat((byte) '*', sizes[i]);
            echo(
                    "1.1." + (i + 1),
                    "text message of " + sizes[i] + " bytes",
                    List.of(send(frame(TEXT, text))),
                    List.of(Observation.text(text)));
        }
        byte[] text = repeat((byte) '*', 65536);
        echo(
                "1.1.8",
                "text message of 65536 bytes in chops of 997 octets",
                List.of(send(997, frame(TEXT, text))),
                List.of(Observation.text(text)));
        for (int i = 0; i < sizes.length; i++) {
            byte[] binary = repeat((byte) 0xfe, sizes[i]);
            echo(
                    "1.2." + (i + 1),
                    "binary message of " + sizes[i] + " bytes",
                    List.of(send(frame(BINARY, binary))),
                    List.of(Observation.binary(binary)));
        }
        byte[] binary = repeat((byte) 0xfe, 65536);
        echo(
                "1.2.8",
                "binary message of 65536 bytes in chops of 997 octets",
                List.of(send(997, frame(BINARY, binary))),
                List.of(Observation.binary(binary)));
    }

    // ---- 2 Pings/Pongs ------------------------------------------------------------------------------------

    private void pings() {
        byte[] empty = new byte[0];
        echo("2.1", "ping without payload", List.of(send(frame(PING, empty))), List.of(Observation.pong(empty)));
        echo(
                "2.2",
                "ping with small text payload",
                List.of(send(frame(PING, HELLO))),
                List.of(Observation.pong(HELLO)));
        echo(
                "2.3",
                "ping with small binary payload",
                List.of(send(frame(PING, BINARY_SMALL))),
                List.of(Observation.pong(BINARY_SMALL)));
        byte[] max = repeat((byte) 0xfe, 125);
        echo("2.4", "ping with 125 bytes", List.of(send(frame(PING, max))), List.of(Observation.pong(max)));
        fail("2.5", "ping with 126 bytes", List.of(send(frame(PING, repeat((byte) 0xfe, 126)))), List.of(), null, 1002);
        echo(
                "2.6",
                "ping with 125 bytes in octet-wise chops",
                List.of(send(1, frame(PING, max))),
                List.of(Observation.pong(max)));
        echo("2.7", "unsolicited pong without payload", List.of(send(frame(PONG, empty))), List.of());
        byte[] unsolicited = ascii("unsolicited pong payload");
        echo("2.8", "unsolicited pong with payload", List.of(send(frame(PONG, unsolicited))), List.of());
        byte[] pingPayload = ascii("ping payload");
        echo(
                "2.9",
                "unsolicited pong, then ping",
                List.of(send(frame(PONG, unsolicited), frame(PING, pingPayload))),
                List.of(Observation.pong(pingPayload)));
        List<WireFrame> tenPings = new ArrayList<>();
        List<Observation> tenPongs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] payload = ascii("payload-" + i);
            tenPings.add(frame(PING, payload));
            tenPongs.add(Observation.pong(payload));
        }
        echo("2.10", "10 pings", List.of(new Step.Send(tenPings, Step.ONE_CHOP)), tenPongs);
        echo("2.11", "10 pings in octet-wise chops", List.of(new Step.Send(tenPings, 1)), tenPongs);
    }

    // ---- 3 Reserved bits ----------------------------------------------------------------------------------

    private void reservedBits() {
        fail("3.1", "text with RSV = 1", List.of(send(new WireFrame(TEXT, true, 1, HELLO))), List.of(), null, 1002);
        int[] chops = {Step.ONE_CHOP, Step.FRAME_CHOPS, 1};
        for (int rsv = 2; rsv <= 4; rsv++) {
            List<WireFrame> frames =
                    List.of(frame(TEXT, HELLO), new WireFrame(TEXT, true, rsv, HELLO), frame(PING, HELLO));
            fail(
                    "3." + rsv,
                    "text, text with RSV = " + rsv + ", ping",
                    List.of(new Step.Send(frames, chops[rsv - 2])),
                    List.of(Observation.text(HELLO)),
                    List.of(),
                    1002);
        }
        fail(
                "3.5",
                "binary with RSV = 5",
                List.of(send(new WireFrame(BINARY, true, 5, BINARY_SMALL))),
                List.of(),
                null,
                1002);
        fail("3.6", "ping with RSV = 6", List.of(send(new WireFrame(PING, true, 6, HELLO))), List.of(), null, 1002);
        fail(
                "3.7",
                "close with RSV = 7",
                List.of(send(new WireFrame(CLOSE, true, 7, closePayload(1000, "")))),
                List.of(),
                null,
                1002);
    }

    // ---- 4 Opcodes ----------------------------------------------------------------------------------------

    private void opcodes() {
        reservedOpcodes("4.1", new int[] {3, 4, 5, 6, 7});
        reservedOpcodes("4.2", new int[] {11, 12, 13, 14, 15});
    }

    private void reservedOpcodes(String section, int[] opcodes) {
        for (int i = 0; i < 5; i++) {
            int op = opcodes[i];
            byte[] payload = i == 0 || i == 2 ? new byte[0] : RESERVED_PAYLOAD;
            String id = section + "." + (i + 1);
            if (i < 2) {
                fail(id, "reserved opcode " + op, List.of(send(frame(op, payload))), List.of(), null, 1002);
            } else {
                fail(
                        id,
                        "text, reserved opcode " + op + ", ping",
                        List.of(send(frame(TEXT, HELLO), frame(op, payload), frame(PING, HELLO))),
                        List.of(Observation.text(HELLO)),
                        List.of(),
                        1002);
            }
        }
    }

    // ---- 5 Fragmentation ----------------------------------------------------------------------------------

    private void fragmentation() {
        byte[] f1 = ascii("fragment1");
        byte[] f2 = ascii("fragment2");
        byte[] both = ascii("fragment1fragment2");
        fail(
                "5.1",
                "ping in 2 fragments",
                List.of(send(frame(PING, false, f1), frame(CONTINUATION, true, f2))),
                List.of(),
                null,
                1002);
        fail(
                "5.2",
                "pong in 2 fragments",
                List.of(send(frame(PONG, false, f1), frame(CONTINUATION, true, f2))),
                List.of(),
                null,
                1002);
        int[] chops = {Step.ONE_CHOP, Step.FRAME_CHOPS, 1};
        String[] chopNames = {"one chop", "frame-wise chops", "octet-wise chops"};
        for (int i = 0; i < 3; i++) {
            echo(
                    "5." + (3 + i),
                    "text in 2 fragments, " + chopNames[i],
                    List.of(new Step.Send(List.of(frame(TEXT, false, f1), frame(CONTINUATION, true, f2)), chops[i])),
                    List.of(Observation.text(both)));
        }
        byte[] pingPayload = ascii("ping payload");
        for (int i = 0; i < 3; i++) {
            List<WireFrame> frames =
                    List.of(frame(TEXT, false, f1), frame(PING, pingPayload), frame(CONTINUATION, true, f2));
            echo(
                    "5." + (6 + i),
                    "text in 2 fragments with a ping between, " + chopNames[i],
                    List.of(new Step.Send(frames, chops[i])),
                    List.of(Observation.pong(pingPayload), Observation.text(both)));
        }
        byte[] nothing = ascii("non-continuation payload");
        for (int fin = 0; fin < 2; fin++) {
            for (int i = 0; i < 3; i++) {
                List<WireFrame> frames = List.of(frame(CONTINUATION, fin == 0, nothing), frame(TEXT, HELLO));
                fail(
                        "5." + (9 + 3 * fin + i),
                        "continuation with FIN = " + (fin == 0) + " and nothing to continue, then text, "
                                + chopNames[i],
                        List.of(new Step.Send(frames, chops[i])),
                        List.of(),
                        null,
                        1002);
            }
        }
        fail(
                "5.15",
                "text in 2 fragments, continuation with nothing to continue, text",
                List.of(send(
                        frame(TEXT, false, f1),
                        frame(CONTINUATION, true, f2),
                        frame(CONTINUATION, false, ascii("fragment3")),
                        frame(TEXT, ascii("fragment4")))),
                List.of(Observation.text(both)),
                List.of(),
                1002);
        for (int fin = 0; fin < 2; fin++) {
            List<WireFrame> frames = new ArrayList<>();
            for (int repeat = 0; repeat < 2; repeat++) {
                frames.add(frame(CONTINUATION, fin == 1, f1));
                frames.add(frame(TEXT, false, f2));
                frames.add(frame(CONTINUATION, true, ascii("fragment3")));
            }
            fail(
                    "5." + (16 + fin),
                    "2x: continuation with FIN = " + (fin == 1) + ", text in 2 fragments",
                    List.of(new Step.Send(frames, Step.ONE_CHOP)),
                    List.of(),
                    null,
                    1002);
        }
        fail(
                "5.18",
                "text in 2 fragments, both with opcode text",
                List.of(send(frame(TEXT, false, f1), frame(TEXT, true, f2))),
                List.of(),
                null,
                1002);
        for (int i = 0; i < 2; i++) {
            int chop = i == 0 ? Step.ONE_CHOP : Step.FRAME_CHOPS;
            byte[] ping1 = ascii("pongme 1!");
            byte[] ping2 = ascii("pongme 2!");
            List<Step> steps = List.of(
                    new Step.Send(
                            List.of(frame(TEXT, false, f1), frame(CONTINUATION, false, f2), frame(PING, ping1)), chop),
                    // Autobahn waits 1 s here; the first pong must come back before the message is complete.
                    new Step.AwaitObservations(1, ECHO_WAIT),
                    new Step.Send(
                            List.of(
                                    frame(CONTINUATION, false, ascii("fragment3")),
                                    frame(CONTINUATION, false, ascii("fragment4")),
                                    frame(PING, ping2),
                                    frame(CONTINUATION, true, ascii("fragment5"))),
                            chop));
            echo(
                    "5." + (19 + i),
                    "fragmented text with pings between" + (i == 0 ? "" : ", frame-wise chops"),
                    steps,
                    List.of(
                            Observation.pong(ping1),
                            Observation.pong(ping2),
                            Observation.text(ascii("fragment1fragment2fragment3fragment4fragment5"))));
        }
    }

    // ---- 6 UTF-8 ------------------------------------------------------------------------------------------

    private void utf8() {
        byte[] empty = new byte[0];
        echo("6.1.1", "empty text", List.of(send(frame(TEXT, empty))), List.of(Observation.text(empty)));
        echo(
                "6.1.2",
                "text in 3 empty fragments",
                List.of(send(
                        frame(TEXT, false, empty),
                        frame(CONTINUATION, false, empty),
                        frame(CONTINUATION, true, empty))),
                List.of(Observation.text(empty)));
        byte[] middle = ascii("middle frame payload");
        echo(
                "6.1.3",
                "text in 3 fragments, only the middle one non-empty",
                List.of(send(
                        frame(TEXT, false, empty),
                        frame(CONTINUATION, false, middle),
                        frame(CONTINUATION, true, empty))),
                List.of(Observation.text(middle)));
        byte[] hello = Hex.decode("48656c6c6f2dc2b540c39fc3b6c3a4c3bcc3a0c3a12d5554462d382121");
        echo("6.2.1", "valid UTF-8 in one frame", List.of(send(frame(TEXT, hello))), List.of(Observation.text(hello)));
        echo(
                "6.2.2",
                "valid UTF-8 in 2 fragments on a code point boundary",
                List.of(send(
                        frame(TEXT, false, Hex.decode("48656c6c6f2dc2b540c39fc3b6c3a4")),
                        frame(CONTINUATION, true, Hex.decode("c3bcc3a0c3a12d5554462d382121")))),
                List.of(Observation.text(hello)));
        echo(
                "6.2.3",
                "valid UTF-8 in 1-octet fragments",
                List.of(octetFragments(hello)),
                List.of(Observation.text(hello)));
        byte[] kosme = Hex.decode("cebae1bdb9cf83cebcceb5");
        echo(
                "6.2.4",
                "valid UTF-8 (kosme) in 1-octet fragments",
                List.of(octetFragments(kosme)),
                List.of(Observation.text(kosme)));
        byte[] invalid = Hex.decode("cebae1bdb9cf83cebcceb5eda080656469746564");
        fail("6.3.1", "invalid UTF-8 in one frame", List.of(send(frame(TEXT, invalid))), List.of(), null, 1007);
        fail("6.3.2", "invalid UTF-8 in 1-octet fragments", List.of(octetFragments(invalid)), List.of(), null, 1007);
        failFastFrames("6.4.1", "cebae1bdb9cf83cebcceb5", "f4908080", "656469746564");
        failFastFrames("6.4.2", "cebae1bdb9cf83cebcceb5f4", "90", "8080656469746564");
        failFastChops("6.4.3", "cebae1bdb9cf83cebcceb5", "f4908080", "656469746564");
        failFastChops("6.4.4", "cebae1bdb9cf83cebcceb5f4", "90", "8080656469746564");
        for (String[] row : UTF8_SEQUENCES) {
            byte[] payload = Hex.decode(row[2]);
            if (row[1].equals("valid")) {
                echo(
                        row[0],
                        "valid UTF-8 " + row[2],
                        List.of(send(frame(TEXT, payload))),
                        List.of(Observation.text(payload)));
            } else {
                fail(row[0], "invalid UTF-8 " + row[2], List.of(send(frame(TEXT, payload))), List.of(), null, 1007);
            }
        }
    }

    private static Step octetFragments(byte[] payload) {
        List<WireFrame> frames = new ArrayList<>();
        for (int i = 0; i < payload.length; i++) {
            frames.add(frame(i == 0 ? TEXT : CONTINUATION, i == payload.length - 1, new byte[] {payload[i]}));
        }
        return new Step.Send(frames, Step.ONE_CHOP);
    }

    private void failFastFrames(String id, String part1, String part2, String part3) {
        fail(
                id,
                "invalid UTF-8 in 3 frames with waits: " + part1 + " | " + part2 + " | " + part3,
                List.of(
                        send(frame(TEXT, false, Hex.decode(part1))),
                        new Step.ExpectNoClose(QUIET),
                        send(frame(CONTINUATION, false, Hex.decode(part2))),
                        new Step.ExpectCloseWithin(FAIL_FAST),
                        send(frame(CONTINUATION, true, Hex.decode(part3)))),
                List.of(),
                null,
                1007);
    }

    private void failFastChops(String id, String part1, String part2, String part3) {
        byte[] p1 = Hex.decode(part1);
        byte[] p2 = Hex.decode(part2);
        WireFrame whole = frame(TEXT, Hex.decode(part1 + part2 + part3));
        int end = whole.payload().length;
        fail(
                id,
                "invalid UTF-8 in one frame sent in 3 chops with waits: " + part1 + " | " + part2 + " | " + part3,
                List.of(
                        new Step.SendFramePart(whole, 0, p1.length),
                        new Step.ExpectNoClose(QUIET),
                        new Step.SendFramePart(whole, p1.length, p1.length + p2.length),
                        new Step.ExpectCloseWithin(FAIL_FAST),
                        new Step.SendFramePart(whole, p1.length + p2.length, end)),
                List.of(),
                null,
                1007);
    }

    // ---- 7 Close handling ---------------------------------------------------------------------------------

    private void closing() {
        byte[] hello = ascii("Hello World!");
        byte[] normal = closePayload(1000, "");
        echo(
                "7.1.1",
                "message, then close",
                List.of(send(frame(TEXT, hello), frame(CLOSE, normal))),
                List.of(Observation.text(hello)));
        closeCase("7.1.2", "two closes", List.of(frame(CLOSE, normal), frame(CLOSE, normal)), true, 1000);
        closeCase("7.1.3", "ping after close", List.of(frame(CLOSE, normal), frame(PING, hello)), true, 1000);
        closeCase("7.1.4", "text after close", List.of(frame(CLOSE, normal), frame(TEXT, hello)), true, 1000);
        closeCase(
                "7.1.5",
                "fragment, close, fragment",
                List.of(
                        frame(TEXT, false, ascii("fragment1")),
                        frame(CLOSE, normal),
                        frame(CONTINUATION, true, ascii("fragment2"))),
                true,
                1000);
        byte[] big = pattern(ascii("BAsd7&jh23"), 262_140);
        add(new ConformanceCase(
                "7.1.6",
                "256K message, close, ping",
                List.of(send(frame(TEXT, big), frame(CLOSE, normal), frame(PING, hello))),
                List.of(Observation.text(big)),
                null,
                ExpectedClose.normal(),
                true,
                null,
                SMALL_CASE,
                null));
        closeCase("7.3.1", "close without payload", List.of(frame(CLOSE, new byte[0])), true, 1000);
        closeCase("7.3.2", "close with a 1-byte payload", List.of(frame(CLOSE, ascii("a"))), false, 1002);
        closeCase("7.3.3", "close with code 1000", List.of(frame(CLOSE, normal)), true, 1000);
        closeCase(
                "7.3.4",
                "close with code and reason",
                List.of(frame(CLOSE, closePayload(1000, "Hello World!"))),
                true,
                1000);
        closeCase(
                "7.3.5",
                "close with a reason of 123 bytes",
                List.of(frame(CLOSE, closePayload(1000, "*".repeat(123)))),
                true,
                1000);
        closeCase(
                "7.3.6",
                "close with a reason of 124 bytes (payload 126)",
                List.of(frame(CLOSE, closePayload(1000, "*".repeat(124)))),
                false,
                1002);
        byte[] badReason = concat(closePayload(1000, ""), Hex.decode("cebae1bdb9cf83cebcceb5eda080656469746564"));
        closeCase("7.5.1", "close with an invalid UTF-8 reason", List.of(frame(CLOSE, badReason)), false, 1002, 1007);
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
        for (int i = 0; i < valid.length; i++) {
            closeCase(
                    "7.7." + (i + 1),
                    "close with valid code " + valid[i],
                    List.of(frame(CLOSE, closePayload(valid[i], ""))),
                    true,
                    1000,
                    valid[i]);
        }
        int[] invalid = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
        for (int i = 0; i < invalid.length; i++) {
            closeCase(
                    "7.9." + (i + 1),
                    "close with invalid code " + invalid[i],
                    List.of(frame(CLOSE, closePayload(invalid[i], ""))),
                    false,
                    1002);
        }
        int[] informational = {5000, 65535};
        for (int i = 0; i < informational.length; i++) {
            add(new ConformanceCase(
                    "7.13." + (i + 1),
                    "close with code " + informational[i],
                    List.of(send(frame(CLOSE, closePayload(informational[i], "")))),
                    List.of(),
                    null,
                    ExpectedClose.answeredWith(false, 1002),
                    true,
                    null,
                    SMALL_CASE,
                    null));
        }
    }

    private void closeCase(String id, String description, List<WireFrame> frames, boolean requireClean, int... codes) {
        add(new ConformanceCase(
                id,
                description,
                List.of(new Step.Send(frames, Step.ONE_CHOP)),
                List.of(),
                null,
                ExpectedClose.answeredWith(requireClean, codes),
                false,
                null,
                SMALL_CASE,
                null));
    }

    // ---- 9 Limits/Performance -----------------------------------------------------------------------------

    private void limits() {
        byte[] textPattern = ascii("BAsd7&jh23");
        byte[] binaryPattern = Hex.decode("00fe23faf0");
        int[] sizes = {64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20};
        for (int kind = 0; kind < 2; kind++) {
            for (int i = 0; i < sizes.length; i++) {
                Observation message = message(kind == 0, pattern(kind == 0 ? textPattern : binaryPattern, sizes[i]));
                large(
                        "9." + (1 + kind) + "." + (i + 1),
                        (kind == 0 ? "text" : "binary") + " message of " + sizes[i] + " bytes",
                        List.of(send(dataFrame(message))),
                        message);
            }
        }
        int[] fragments = {64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20};
        for (int kind = 0; kind < 2; kind++) {
            Observation message = message(kind == 0, pattern(kind == 0 ? textPattern : binaryPattern, 4 << 20));
            for (int i = 0; i < fragments.length; i++) {
                large(
                        "9." + (3 + kind) + "." + (i + 1),
                        "4 MiB message in fragments of " + fragments[i],
                        List.of(new Step.Send(fragments(message, fragments[i]), Step.ONE_CHOP)),
                        message);
            }
        }
        int[] chops = {64, 128, 256, 512, 1024, 2048};
        for (int kind = 0; kind < 2; kind++) {
            Observation message = message(kind == 0, pattern(kind == 0 ? textPattern : binaryPattern, 1 << 20));
            for (int i = 0; i < chops.length; i++) {
                large(
                        "9." + (5 + kind) + "." + (i + 1),
                        "1 MiB message in chops of " + chops[i],
                        List.of(send(chops[i], dataFrame(message))),
                        message);
            }
        }
        int[] rttSizes = {0, 16, 64, 256, 1024, 4096};
        for (int kind = 0; kind < 2; kind++) {
            for (int i = 0; i < rttSizes.length; i++) {
                List<Observation> messages = new ArrayList<>();
                for (int m = 0; m < 1000; m++) {
                    messages.add(message(kind == 0, pattern(kind == 0 ? textPattern : binaryPattern, rttSizes[i])));
                }
                add(new ConformanceCase(
                        "9." + (7 + kind) + "." + (i + 1),
                        "1000 round trips of " + rttSizes[i] + "-byte messages",
                        List.of(new Step.RoundTrips(messages, 0, LIMITS_CASE)),
                        messages,
                        null,
                        ExpectedClose.normal(),
                        false,
                        null,
                        LIMITS_CASE,
                        null));
            }
        }
    }

    private void large(String id, String description, List<Step> steps, Observation message) {
        List<Step> all = new ArrayList<>(steps);
        all.add(new Step.AwaitObservations(1, LIMITS_CASE));
        add(new ConformanceCase(
                id, description, all, List.of(message), null, ExpectedClose.normal(), false, null, LIMITS_CASE, null));
    }

    // ---- 10 Misc ------------------------------------------------------------------------------------------

    private void autoFragmentation() {
        Observation message = Observation.text(repeat((byte) '*', 65536));
        echo(
                "10.1.1",
                "text of 65536 bytes auto-fragmented to 1300",
                List.of(new Step.Send(fragments(message, 1300), Step.ONE_CHOP)),
                List.of(message));
    }

    // ---- 12, 13 Compression -------------------------------------------------------------------------------

    private static final int[] COMPRESSION_SIZES = {
        16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072, 8192, 16384, 32768, 65536, 131072, 131072, 131072,
        131072
    };
    private static final int[] COMPRESSION_FRAGMENTS = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 256, 256, 256, 256, 256, 1024, 4096, 32768
    };

    private void compression() {
        ConformanceCase.Deflate defaults = new ConformanceCase.Deflate(List.of(), List.of());
        Datasets.Corpus[] corpora = {
            Datasets.json(), Datasets.bitmap(), Datasets.faust(), Datasets.html(), Datasets.pdf()
        };
        for (int g = 0; g < corpora.length; g++) {
            compressionGroup("12." + (g + 1), corpora[g], defaults);
        }
        DeflateNegotiation.Request[][] parameters = {
            {request(false, 0)},
            {request(true, 0)},
            {request(false, 9)},
            {request(false, 15)},
            {request(true, 9)},
            {request(true, 15)},
            {request(true, 9), request(true, 0), request(false, 0)}
        };
        Datasets.Corpus json = corpora[0];
        for (int g = 0; g < parameters.length; g++) {
            List<DeflateNegotiation.Request> list = List.of(parameters[g]);
            compressionGroup("13." + (g + 1), json, new ConformanceCase.Deflate(list, list));
        }
    }

    private void compressionGroup(String section, Datasets.Corpus corpus, ConformanceCase.Deflate deflate) {
        for (int i = 0; i < COMPRESSION_SIZES.length; i++) {
            int size = COMPRESSION_SIZES[i];
            int count = reduction.messages(size);
            List<Observation> messages = new ArrayList<>(count);
            for (int m = 0; m < count; m++) {
                messages.add(message(corpus.text(), Datasets.slice(corpus, m, size)));
            }
            Duration timeout = reduction.full() ? Duration.ofSeconds(480) : LIMITS_CASE;
            String reduced = count == 1000 ? null : count + " messages instead of 1000";
            add(new ConformanceCase(
                    section + "." + (i + 1),
                    count + " compressed " + corpus.name() + " messages of " + size + " bytes, fragments of "
                            + COMPRESSION_FRAGMENTS[i] + ", offers/accepts " + deflate.offers(),
                    List.of(new Step.RoundTrips(messages, COMPRESSION_FRAGMENTS[i], timeout)),
                    messages,
                    null,
                    ExpectedClose.normal(),
                    false,
                    deflate,
                    timeout,
                    reduced));
        }
    }

    private static DeflateNegotiation.Request request(boolean noContextTakeover, int maxWindowBits) {
        return new DeflateNegotiation.Request(noContextTakeover, maxWindowBits);
    }

    // ---- builders -----------------------------------------------------------------------------------------

    private void add(ConformanceCase c) {
        cases.add(c);
    }

    /** A case the testee passes by echoing, closed normally by the peer once the echoes arrived. */
    private void echo(String id, String description, List<Step> steps, List<Observation> expected) {
        List<Step> all = new ArrayList<>(steps);
        if (!expected.isEmpty()) {
            all.add(new Step.AwaitObservations(expected.size(), ECHO_WAIT));
        }
        add(new ConformanceCase(
                id, description, all, expected, null, ExpectedClose.normal(), false, null, SMALL_CASE, null));
    }

    /** A case the testee must fail with one of {@code codes}; {@code nonStrict} is the NON-STRICT outcome. */
    private void fail(
            String id,
            String description,
            List<Step> steps,
            List<Observation> ok,
            List<Observation> nonStrict,
            int... codes) {
        List<Step> all = new ArrayList<>(steps);
        if (!ok.isEmpty()) {
            all.add(new Step.AwaitObservations(ok.size(), ECHO_WAIT));
        }
        add(new ConformanceCase(
                id, description, all, ok, nonStrict, ExpectedClose.failedBy(codes), false, null, SMALL_CASE, null));
    }

    private static Step send(WireFrame... frames) {
        return new Step.Send(List.of(frames), Step.ONE_CHOP);
    }

    private static Step send(int chop, WireFrame... frames) {
        return new Step.Send(List.of(frames), chop);
    }

    private static WireFrame frame(int opcode, byte[] payload) {
        return new WireFrame(opcode, true, 0, payload);
    }

    private static WireFrame frame(int opcode, boolean fin, byte[] payload) {
        return new WireFrame(opcode, fin, 0, payload);
    }

    private static WireFrame dataFrame(Observation message) {
        return frame(message.kind() == Observation.Kind.TEXT ? TEXT : BINARY, message.payload());
    }

    private static List<WireFrame> fragments(Observation message, int size) {
        byte[] payload = message.payload();
        List<WireFrame> frames = new ArrayList<>();
        for (int offset = 0; offset < payload.length; offset += size) {
            int end = Math.min(payload.length, offset + size);
            int opcode = offset > 0 ? CONTINUATION : message.kind() == Observation.Kind.TEXT ? TEXT : BINARY;
            frames.add(frame(opcode, end == payload.length, Arrays.copyOfRange(payload, offset, end)));
        }
        return frames;
    }

    private static Observation message(boolean text, byte[] payload) {
        return text ? Observation.text(payload) : Observation.binary(payload);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] repeat(byte b, int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, b);
        return bytes;
    }

    static byte[] pattern(byte[] pattern, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = pattern[i % pattern.length];
        }
        return bytes;
    }

    static byte[] closePayload(int code, String reason) {
        return concat(new byte[] {(byte) (code >>> 8), (byte) code}, ascii(reason));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** 6.5–6.23: Autobahn's UTF-8 sequences, each sent as one text frame: id, validity, payload. */
    private static final String[][] UTF8_SEQUENCES = {
        {"6.5.1", "valid", "68656c6c6f24776f726c64"},
        {"6.5.2", "valid", "68656c6c6fc2a2776f726c64"},
        {"6.5.3", "valid", "68656c6c6fe282ac776f726c64"},
        {"6.5.4", "valid", "68656c6c6ff0a4ada2776f726c64"},
        {"6.5.5", "valid", "cebae1bdb9cf83cebcceb5"},
        {"6.6.1", "invalid", "ce"},
        {"6.6.2", "valid", "ceba"},
        {"6.6.3", "invalid", "cebae1"},
        {"6.6.4", "invalid", "cebae1bd"},
        {"6.6.5", "valid", "cebae1bdb9"},
        {"6.6.6", "invalid", "cebae1bdb9cf"},
        {"6.6.7", "valid", "cebae1bdb9cf83"},
        {"6.6.8", "invalid", "cebae1bdb9cf83ce"},
        {"6.6.9", "valid", "cebae1bdb9cf83cebc"},
        {"6.6.10", "invalid", "cebae1bdb9cf83cebcce"},
        {"6.6.11", "valid", "cebae1bdb9cf83cebcceb5"},
        {"6.7.1", "valid", "00"},
        {"6.7.2", "valid", "c280"},
        {"6.7.3", "valid", "e0a080"},
        {"6.7.4", "valid", "f0908080"},
        {"6.8.1", "invalid", "f888808080"},
        {"6.8.2", "invalid", "fc8480808080"},
        {"6.9.1", "valid", "7f"},
        {"6.9.2", "valid", "dfbf"},
        {"6.9.3", "valid", "efbfbf"},
        {"6.9.4", "valid", "f48fbfbf"},
        {"6.10.1", "invalid", "f7bfbfbf"},
        {"6.10.2", "invalid", "fbbfbfbfbf"},
        {"6.10.3", "invalid", "fdbfbfbfbfbf"},
        {"6.11.1", "valid", "ed9fbf"},
        {"6.11.2", "valid", "ee8080"},
        {"6.11.3", "valid", "efbfbd"},
        {"6.11.4", "valid", "f48fbfbf"},
        {"6.11.5", "invalid", "f4908080"},
        {"6.12.1", "invalid", "80"},
        {"6.12.2", "invalid", "bf"},
        {"6.12.3", "invalid", "80bf"},
        {"6.12.4", "invalid", "80bf80"},
        {"6.12.5", "invalid", "80bf80bf"},
        {"6.12.6", "invalid", "80bf80bf80"},
        {"6.12.7", "invalid", "80bf80bf80bf"},
        {
            "6.12.8",
            "invalid",
            "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbe"
        },
        {
            "6.13.1",
            "invalid",
            "c020c120c220c320c420c520c620c720c820c920ca20cb20cc20cd20ce20cf20d020d120d220d320d420d520d620d720d820d920da20db20dc20dd20de20"
        },
        {"6.13.2", "invalid", "e020e120e220e320e420e520e620e720e820e920ea20eb20ec20ed20ee20"},
        {"6.13.3", "invalid", "f020f120f220f320f420f520f620"},
        {"6.13.4", "invalid", "f820f920fa20"},
        {"6.13.5", "invalid", "fc20"},
        {"6.14.1", "invalid", "c0"},
        {"6.14.2", "invalid", "e080"},
        {"6.14.3", "invalid", "f08080"},
        {"6.14.4", "invalid", "f8808080"},
        {"6.14.5", "invalid", "fc80808080"},
        {"6.14.6", "invalid", "df"},
        {"6.14.7", "invalid", "efbf"},
        {"6.14.8", "invalid", "f7bfbf"},
        {"6.14.9", "invalid", "fbbfbfbf"},
        {"6.14.10", "invalid", "fdbfbfbfbf"},
        {"6.15.1", "invalid", "c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf"},
        {"6.16.1", "invalid", "fe"},
        {"6.16.2", "invalid", "ff"},
        {"6.16.3", "invalid", "fefeffff"},
        {"6.17.1", "invalid", "c0af"},
        {"6.17.2", "invalid", "e080af"},
        {"6.17.3", "invalid", "f08080af"},
        {"6.17.4", "invalid", "f8808080af"},
        {"6.17.5", "invalid", "fc80808080af"},
        {"6.18.1", "invalid", "c1bf"},
        {"6.18.2", "invalid", "e09fbf"},
        {"6.18.3", "invalid", "f08fbfbf"},
        {"6.18.4", "invalid", "f887bfbfbf"},
        {"6.18.5", "invalid", "fc83bfbfbfbf"},
        {"6.19.1", "invalid", "c080"},
        {"6.19.2", "invalid", "e08080"},
        {"6.19.3", "invalid", "f0808080"},
        {"6.19.4", "invalid", "f880808080"},
        {"6.19.5", "invalid", "fc8080808080"},
        {"6.20.1", "invalid", "eda080"},
        {"6.20.2", "invalid", "edadbf"},
        {"6.20.3", "invalid", "edae80"},
        {"6.20.4", "invalid", "edafbf"},
        {"6.20.5", "invalid", "edb080"},
        {"6.20.6", "invalid", "edbe80"},
        {"6.20.7", "invalid", "edbfbf"},
        {"6.21.1", "invalid", "eda080edb080"},
        {"6.21.2", "invalid", "eda080edbfbf"},
        {"6.21.3", "invalid", "edadbfedb080"},
        {"6.21.4", "invalid", "edadbfedbfbf"},
        {"6.21.5", "invalid", "edae80edb080"},
        {"6.21.6", "invalid", "edae80edbfbf"},
        {"6.21.7", "invalid", "edafbfedb080"},
        {"6.21.8", "invalid", "edafbfedbfbf"},
        {"6.22.1", "valid", "efbfbe"},
        {"6.22.2", "valid", "efbfbf"},
        {"6.22.3", "valid", "f09fbfbe"},
        {"6.22.4", "valid", "f09fbfbf"},
        {"6.22.5", "valid", "f0afbfbe"},
        {"6.22.6", "valid", "f0afbfbf"},
        {"6.22.7", "valid", "f0bfbfbe"},
        {"6.22.8", "valid", "f0bfbfbf"},
        {"6.22.9", "valid", "f18fbfbe"},
        {"6.22.10", "valid", "f18fbfbf"},
        {"6.22.11", "valid", "f19fbfbe"},
        {"6.22.12", "valid", "f19fbfbf"},
        {"6.22.13", "valid", "f1afbfbe"},
        {"6.22.14", "valid", "f1afbfbf"},
        {"6.22.15", "valid", "f1bfbfbe"},
        {"6.22.16", "valid", "f1bfbfbf"},
        {"6.22.17", "valid", "f28fbfbe"},
        {"6.22.18", "valid", "f28fbfbf"},
        {"6.22.19", "valid", "f29fbfbe"},
        {"6.22.20", "valid", "f29fbfbf"},
        {"6.22.21", "valid", "f2afbfbe"},
        {"6.22.22", "valid", "f2afbfbf"},
        {"6.22.23", "valid", "f2bfbfbe"},
        {"6.22.24", "valid", "f2bfbfbf"},
        {"6.22.25", "valid", "f38fbfbe"},
        {"6.22.26", "valid", "f38fbfbf"},
        {"6.22.27", "valid", "f39fbfbe"},
        {"6.22.28", "valid", "f39fbfbf"},
        {"6.22.29", "valid", "f3afbfbe"},
        {"6.22.30", "valid", "f3afbfbf"},
        {"6.22.31", "valid", "f3bfbfbe"},
        {"6.22.32", "valid", "f3bfbfbf"},
        {"6.22.33", "valid", "f48fbfbe"},
        {"6.22.34", "valid", "f48fbfbf"},
        {"6.23.1", "valid", "efbfb9"},
        {"6.23.2", "valid", "efbfba"},
        {"6.23.3", "valid", "efbfbb"},
        {"6.23.4", "valid", "efbfbc"},
        {"6.23.5", "valid", "efbfbd"},
        {"6.23.6", "valid", "efbfbe"},
        {"6.23.7", "valid", "efbfbf"},
    };
}
