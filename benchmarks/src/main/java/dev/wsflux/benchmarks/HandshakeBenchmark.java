package dev.wsflux.benchmarks;

import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.codec.HttpParser;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateServerFactory;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server side of the opening handshake without a socket: parsing the request ({@link HttpParser}),
 * and the whole Sans-I/O handshake ({@link ServerProtocol#receiveData}, {@link ServerProtocol#accept},
 * {@link ServerProtocol#sendResponse}, {@link ServerProtocol#dataToSend}). The score is handshakes per
 * second; {@code -prof gc} gives the bytes allocated per handshake.
 *
 * <p>The requests are wsload's (minimal) and a browser's (more headers, a permessage-deflate offer).
 * Per-thread state.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class HandshakeBenchmark {
    private static final String WSLOAD = "GET / HTTP/1.1\r\n"
            + "Host: 127.0.0.1:9001\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "\r\n";

    private static final String BROWSER = "GET /chat?room=42 HTTP/1.1\r\n"
            + "Host: example.com\r\n"
            + "Connection: Upgrade\r\n"
            + "Pragma: no-cache\r\n"
            + "Cache-Control: no-cache\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36\r\n"
            + "Upgrade: websocket\r\n"
            + "Origin: https://example.com\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Cookie: session=7f9c2ba4e88f827d616045507605853e; theme=dark\r\n"
            + "Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "\r\n";

    /** Which request: {@code wsload} or {@code browser}. */
    @Param({"wsload", "browser"})
    public String request;

    private ByteBuffer bytes;

    /** Encodes the request. */
    @Setup
    public void setUp() {
        bytes = ByteBuffer.wrap(("wsload".equals(request) ? WSLOAD : BROWSER).getBytes(StandardCharsets.US_ASCII));
    }

    /** Parses the request into a {@link Request}. */
    @Benchmark
    public Event parseRequest() {
        return HttpParser.forRequests().feed(bytes.duplicate());
    }

    /** Runs the whole server handshake and returns the response bytes. */
    @Benchmark
    public List<ByteBuffer> acceptHandshake() {
        ServerProtocol protocol = ServerProtocol.builder()
                .extensions(List.of(PerMessageDeflateServerFactory.create()))
                .build();
        protocol.receiveData(bytes.duplicate());
        Request received = (Request) protocol.eventsReceived().get(0);
        Response response = protocol.accept(received);
        protocol.sendResponse(response);
        return protocol.dataToSend();
    }
}
