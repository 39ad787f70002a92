package dev.wsflux.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wsflux.protocol.frames.CloseStatus;
import dev.wsflux.protocol.frames.ConnectionClosedException;
import dev.wsflux.protocol.frames.PayloadTooBigException;
import dev.wsflux.protocol.frames.WebSocketProtocolException;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.InvalidStatusException;
import dev.wsflux.protocol.http11.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WsdumpCommandTest {
    private static WsdumpCommand parse(String... args) {
        return CommandLine.populateCommand(new WsdumpCommand(), args);
    }

    @Nested
    class Verbosity {
        @Test
        void isZeroWithoutTheFlag() {
            assertEquals(0, parse("ws://h/").verbose);
        }

        @Test
        void bareFlagBeforeTheUrlMeansLevelOne() {
            WsdumpCommand command = parse("-v", "ws://h/");
            assertEquals(1, command.verbose);
            assertEquals(URI.create("ws://h/"), command.url);
        }

        @Test
        void bareFlagBeforeAnotherOptionOrAtTheEndMeansLevelOne() {
            assertEquals(1, parse("-v", "--raw", "ws://h/").verbose);
            assertEquals(1, parse("ws://h/", "-v").verbose);
        }

        @Test
        void numberAfterTheFlagIsTheLevel() {
            assertEquals(2, parse("-v", "2", "ws://h/").verbose);
            assertEquals(2, parse("-v=2", "ws://h/").verbose);
            assertEquals(2, parse("--verbose", "2", "ws://h/").verbose);
        }
    }

    @Test
    void takesEveryWsdumpFlag() {
        WsdumpCommand command = parse(
                "-p",
                "http://127.0.0.1:3128",
                "-n",
                "-r",
                "-s",
                "chat",
                "superchat",
                "-o",
                "http://o.test",
                "--eof-wait",
                "2.5",
                "-t",
                "hi",
                "--timings",
                "--headers",
                "A: b,C: d",
                "--no-compression",
                "--max-size",
                "4096",
                "wss://h/");
        assertEquals("http://127.0.0.1:3128", command.proxy);
        assertEquals(List.of("chat", "superchat"), command.subprotocols);
        assertEquals(2.5, command.eofWait);
        assertEquals("hi", command.text);
        assertEquals(true, command.noCert && command.raw && command.timings && command.noCompression);
        assertEquals(4096, command.maxSize);
        command.client(); // every option is accepted by the client builder
    }

    @Test
    void malformedHeaderIsRejectedWithTheOffendingText() {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> parse("--headers", "A: b,oops", "ws://h/")
                        .client());
        assertEquals("header must look like \"Name: value\": \"oops\"", error.getMessage());
    }

    @Test
    void rejectionShowsStatusReasonAndEscapedBody() {
        Response response =
                new Response(401, "Unauthorized", Headers.empty(), "login\nfirst\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(
                "handshake failed: server answered HTTP 401 Unauthorized: login\\nfirst",
                WsdumpCommand.handshakeFailure(new IllegalStateException(new InvalidStatusException(response))));
    }

    @Nested
    class Refusal {
        private final CloseStatus server = new CloseStatus(1000, "");

        @Test
        void isTheCloseWeSentFirstWithItsCauseAndCode() {
            assertEquals(
                    "refused a message from the server: message too big: more than 10 bytes (1009)",
                    WsdumpCommand.refusal(ConnectionClosedException.of(
                            null,
                            new CloseStatus(1009, "message too big"),
                            null,
                            PayloadTooBigException.moreThan(10))));
            assertEquals(
                    "refused what the server sent: unexpected continuation frame (1002)",
                    WsdumpCommand.refusal(ConnectionClosedException.of(
                            null,
                            new CloseStatus(1002, ""),
                            null,
                            new WebSocketProtocolException(1002, "unexpected continuation frame"))));
        }

        @Test
        void withoutACauseIsTheReasonWeSent() {
            assertEquals(
                    "failed the connection: keepalive ping timeout (1011)",
                    WsdumpCommand.refusal(ConnectionClosedException.of(
                            null, new CloseStatus(1011, "keepalive ping timeout"), null, null)));
        }

        @Test
        void isNoneForANormalCloseTheEchoOfTheServersOrNoCloseAtAll() {
            assertNull(WsdumpCommand.refusal(ConnectionClosedException.of(server, server, false, null)));
            CloseStatus error = new CloseStatus(4000, "bye");
            assertNull(WsdumpCommand.refusal(ConnectionClosedException.of(error, error, true, null)));
            assertNull(
                    WsdumpCommand.refusal(ConnectionClosedException.of(null, null, null, new java.io.IOException())));
        }
    }
}
