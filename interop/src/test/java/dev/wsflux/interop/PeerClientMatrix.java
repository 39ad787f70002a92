package dev.wsflux.interop;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsflux.core.Message;
import dev.wsflux.protocol.frames.CloseCodes;
import dev.wsflux.protocol.frames.CloseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.function.Executable;

/**
 * The assertions of one "peer client → our server" pair. The peer script connects four times through a
 * {@link WireCounter} in front of {@link OurServer}:
 *
 * <ul>
 *   <li>{@code conn=main} on {@code /echo}: text, binary, 1 MiB, fragmented text (if the peer can send
 *       fragments), a Ping, {@value Scenario#PING_REQUEST}, then Close 1000 "done";
 *   <li>{@code conn=c4001}: one message, then Close 4001 {@value Scenario#CLIENT_REASON};
 *   <li>{@code conn=s1000} and {@code conn=s4002} on {@code /close/N}: the server closes with N;
 *   <li>{@code conn=maxsize} on {@code /echo}: {@value Scenario#MAX_SIZE} random bytes (our server's default
 *       {@code maxSize}, which applies after decompression), then one byte more, which the server refuses with 1009.
 * </ul>
 *
 * and prints {@code key=value} lines: {@code text}, {@code binary}, {@code fragmented} as hex of the echo,
 * {@code big}, {@code maxsize_sent} and {@code maxsize_echo} as {@code length:sha256}, {@code *_type} as
 * text/binary, {@code pong}, {@code server_ping}, {@code subprotocol}, {@code extensions}, and {@code close},
 * {@code close4001}, {@code server1000}, {@code server4002}, {@code maxsize_plus_one} as {@code code:reason} of the
 * Close frame received. Each feature is one named assertion.
 */
final class PeerClientMatrix {
    /** What the peer can do. */
    record Capabilities(boolean fragments, boolean clientPing, boolean compression) {}

    private PeerClientMatrix() {}

    /**
     * Starts our server and a wire counter in front of it, runs the peer's {@code command} (given the base URL,
     * e.g. {@code ws://127.0.0.1:PORT}) in the peer scripts' directory with {@code environment}, and asserts the
     * matrix.
     */
    static void run(
            String peer, Function<String, List<String>> command, Map<String, String> environment, Capabilities can) {
        try (OurServer server = OurServer.start();
                WireCounter wire = WireCounter.to(server.port());
                PeerProcess process = PeerProcess.start(
                        peer,
                        command.apply("ws://127.0.0.1:" + wire.port()),
                        Peers.script("common.py").getParent(),
                        environment)) {
            process.awaitSuccess(Duration.ofSeconds(90));
            assertMatrix(peer, process.results(), server, wire, can);
        }
    }

    /** Asserts every feature, reporting all failures at once. */
    static void assertMatrix(String peer, Map<String, String> r, OurServer server, WireCounter wire, Capabilities can) {
        OurServer.RecordedSession main = server.session("main");
        System.out.println(peer + ": wire bytes client → server " + wire.bytesToTarget() + ", server → client "
                + wire.bytesFromTarget() + "; peer reported " + r);
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(Scenario.hex(Scenario.TEXT), r.get("text"), peer + ": text echo"));
        checks.add(() -> assertEquals("text", r.get("text_type"), peer + ": text echo type"));
        checks.add(() -> assertEquals(Scenario.hex(Scenario.BINARY), r.get("binary"), peer + ": binary echo"));
        checks.add(() -> assertEquals("binary", r.get("binary_type"), peer + ": binary echo type"));
        checks.add(() -> assertEquals(Scenario.digest(Scenario.big()), r.get("big"), peer + ": 1 MiB echo"));
        checks.add(() -> assertEquals("binary", r.get("big_type"), peer + ": 1 MiB echo type"));
        List<Message> expected = new ArrayList<>(
                List.of(Message.text(Scenario.TEXT), Message.binary(Scenario.BINARY), Message.binary(Scenario.big())));
        if (can.fragments()) {
            checks.add(() ->
                    assertEquals(Scenario.hex(Scenario.FRAGMENTED), r.get("fragmented"), peer + ": fragmented echo"));
            expected.add(Message.text(Scenario.FRAGMENTED));
        }
        expected.add(Message.text(Scenario.PING_REQUEST));
        checks.add(() -> assertEquals(
                describe(expected), describe(main.received), peer + ": messages the server received, in order"));
        if (can.clientPing()) {
            checks.add(() -> assertEquals("ok", r.get("pong"), peer + ": pong for the client's ping"));
        }
        checks.add(() -> assertEquals(Scenario.PING_ANSWER, r.get("server_ping"), peer + ": server's ping answered"));
        checks.add(() -> assertEquals(Scenario.SUBPROTOCOL, r.get("subprotocol"), peer + ": subprotocol (peer)"));
        checks.add(() -> assertEquals(Scenario.SUBPROTOCOL, main.subprotocol, peer + ": subprotocol (server)"));
        if (can.compression()) {
            checks.add(() -> assertTrue(
                    r.getOrDefault("extensions", "").contains("permessage-deflate"),
                    peer + ": permessage-deflate negotiated (peer): " + r.get("extensions")));
            checks.add(() -> assertEquals(
                    List.of("permessage-deflate"), main.extensions, peer + ": permessage-deflate (server)"));
            checks.add(() -> assertTrue(
                    wire.bytesToTarget("main") < Scenario.COMPRESSED_LIMIT,
                    peer + ": client → server compressed: " + wire.bytesToTarget("main") + " bytes on the wire"));
            checks.add(() -> assertTrue(
                    wire.bytesFromTarget("main") < Scenario.COMPRESSED_LIMIT,
                    peer + ": server → client compressed: " + wire.bytesFromTarget("main") + " bytes on the wire"));
        } else {
            checks.add(() -> assertEquals(List.of(), main.extensions, peer + ": no extension (server)"));
            checks.add(() -> assertTrue(
                    wire.bytesFromTarget("main") > Scenario.BIG_SIZE,
                    peer + ": server → client uncompressed: " + wire.bytesFromTarget("main") + " bytes"));
        }
        assertMaxSize(peer, r, server, wire, can, checks);
        checks.add(() -> assertEquals(new CloseStatus(1000, "done"), main.closeStatus(), peer + ": close 1000 →"));
        checks.add(() -> assertEquals("1000", code(r.get("close")), peer + ": close 1000 echoed: " + r.get("close")));
        checks.add(() -> assertEquals(
                new CloseStatus(4001, Scenario.CLIENT_REASON),
                server.session("c4001").closeStatus(),
                peer + ": close 4001 →"));
        checks.add(() ->
                assertEquals("4001", code(r.get("close4001")), peer + ": close 4001 echoed: " + r.get("close4001")));
        checks.add(() ->
                assertEquals("1000:" + Scenario.SERVER_REASON, r.get("server1000"), peer + ": close 1000 ← server"));
        checks.add(() ->
                assertEquals("4002:" + Scenario.SERVER_REASON, r.get("server4002"), peer + ": close 4002 ← server"));
        assertAll(peer, checks.stream());
    }

    /**
     * The {@code conn=maxsize} checks: {@code maxSize} counts the bytes after decompression, so the message of
     * exactly {@value Scenario#MAX_SIZE} random bytes is accepted and echoed although, compressed, its frame is
     * larger on the wire, and the message of one byte more fails the connection with 1009.
     */
    private static void assertMaxSize(
            String peer,
            Map<String, String> r,
            OurServer server,
            WireCounter wire,
            Capabilities can,
            List<Executable> checks) {
        String sent = r.get("maxsize_sent");
        checks.add(() -> assertTrue(
                sent != null && sent.startsWith(Scenario.MAX_SIZE + ":"),
                peer + ": sent maxSize random bytes: " + sent));
        checks.add(() -> assertEquals(sent, r.get("maxsize_echo"), peer + ": maxSize bytes echoed"));
        OurServer.RecordedSession maxSize = server.session("maxsize");
        checks.add(() -> assertEquals(
                List.of("binary " + sent), describe(maxSize.received), peer + ": maxSize bytes received, once"));
        checks.add(() -> assertEquals(
                Integer.toString(CloseCodes.MESSAGE_TOO_BIG),
                code(r.get("maxsize_plus_one")),
                peer + ": maxSize + 1 refused: " + r.get("maxsize_plus_one")));
        List<WireCounter.FrameHeader> frames = wire.framesToTarget("maxsize");
        if (can.compression()) {
            // The evidence that maxSize is after decompression: a compressed message larger than maxSize on the
            // wire was accepted (in one frame, or in several, as Chromium sends it).
            List<Long> compressed = WireCounter.compressedMessageLengths(frames);
            System.out.println(peer + ": maxsize, compressed messages client → server on the wire: " + compressed);
            checks.add(() -> assertTrue(
                    compressed.stream().anyMatch(length -> length > Scenario.MAX_SIZE),
                    peer + ": maxSize bytes sent compressed, larger than maxSize on the wire: " + compressed + " in "
                            + frames));
        } else {
            checks.add(() -> assertTrue(
                    frames.stream().noneMatch(WireCounter.FrameHeader::rsv1),
                    peer + ": maxSize bytes sent uncompressed: " + frames));
        }
    }

    private static String code(String codeAndReason) {
        return codeAndReason == null ? null : codeAndReason.split(":", 2)[0];
    }

    private static List<String> describe(List<Message> messages) {
        Function<Message, String> one = m -> m.isText()
                ? "text " + Scenario.hex(m.text())
                : "binary " + (m.length() > 64 ? Scenario.digest(m.bytes()) : Scenario.hex(m.bytes()));
        return messages.stream().map(one).toList();
    }
}
