package dev.wsflux.benchmarks;

import dev.wsflux.protocol.extensions.Extension;
import dev.wsflux.protocol.extensions.ServerExtensionFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateClientFactory;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateOptions;
import dev.wsflux.protocol.extensions.permessagedeflate.PerMessageDeflateServerFactory;
import dev.wsflux.protocol.frames.Frame;
import dev.wsflux.protocol.frames.Opcode;
import dev.wsflux.protocol.http11.ExtensionOffer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * permessage-deflate on JSON messages like those of {@code wsload -z 1}, negotiated as a real server
 * and client would (server defaults: 12-bit windows, level 6; {@link #serverWindowBits} also runs the
 * server with a 15-bit window). One operation is one message; the unit
 * is the second, so the score is messages per second of one core.
 *
 * <ul>
 *   <li>{@code encode}: the server compresses (context takeover), cycling through {@value #MESSAGES}
 *       distinct messages;
 *   <li>{@code roundTrip}: the server compresses and the client decompresses the same message;
 *   <li>{@code decode}: the client decompresses pre-compressed messages, negotiated with
 *       {@code server_no_context_takeover} so that each message decodes on its own and the input can be
 *       replayed.
 * </ul>
 *
 * <p>Per-thread state: extensions are not thread-safe.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class PerMessageDeflateBenchmark {
    /** Distinct messages, as in wsload. */
    static final int MESSAGES = 64;

    private static final long MAX_MESSAGE_SIZE = 1 << 20; // 1 MiB, the default maxSize

    /** Message size in bytes before compression. */
    @Param({"4096", "16384"})
    public int size;

    /**
     * The server's compressor window: 12 bits is the server default (the JDK deflater is then bounded by
     * resets primed with a dictionary), 15 bits is what Reactor Netty's server uses.
     */
    @Param({"12", "15"})
    public int serverWindowBits;

    private ByteBuffer[] messages;
    private Extension serverSide;
    private Extension clientSide;
    private Extension clientNoContext;
    private Frame[] compressedNoContext;
    private int next;

    /** Negotiates the extensions and prepares the messages. */
    @Setup(Level.Trial)
    public void setUp() {
        messages = new ByteBuffer[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            messages[i] = ByteBuffer.wrap(Payloads.json(size, i));
        }
        Extension[] pair = negotiate(PerMessageDeflateOptions.clientDefaults(), serverWindowBits);
        serverSide = pair[0];
        clientSide = pair[1];

        Extension[] noContext = negotiate(PerMessageDeflateOptions.clientDefaults().toBuilder()
                .serverNoContextTakeover(true)
                .build());
        clientNoContext = noContext[1];
        compressedNoContext = new Frame[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            Frame frame = noContext[0].encode(new Frame(Opcode.TEXT, messages[i].duplicate(), true), true);
            compressedNoContext[i] = copy(frame);
        }
        noContext[0].close();
    }

    /** Ends the zlib streams. */
    @TearDown(Level.Trial)
    public void tearDown() {
        serverSide.close();
        clientSide.close();
        clientNoContext.close();
    }

    private static Extension[] negotiate(PerMessageDeflateOptions clientOptions) {
        return negotiate(clientOptions, PerMessageDeflateOptions.DEFAULT_SERVER_WINDOW_BITS);
    }

    private static Extension[] negotiate(PerMessageDeflateOptions clientOptions, int serverWindowBits) {
        PerMessageDeflateClientFactory client = PerMessageDeflateClientFactory.of(clientOptions);
        ExtensionOffer offer = client.offers().get(0);
        PerMessageDeflateServerFactory server =
                PerMessageDeflateServerFactory.of(PerMessageDeflateOptions.serverDefaults().toBuilder()
                        .serverMaxWindowBits(serverWindowBits)
                        .build());
        ServerExtensionFactory.Accepted accepted = server.accept(offer, List.of());
        if (accepted == null) {
            throw new IllegalStateException("server declined the offer: " + offer);
        }
        return new Extension[] {accepted.extension(), client.accept(accepted.response(), List.of())};
    }

    private static Frame copy(Frame frame) {
        ByteBuffer payload = ByteBuffer.allocate(frame.length());
        payload.put(frame.payload().duplicate()).flip();
        return new Frame(frame.opcode(), payload, frame.fin(), frame.rsv1(), frame.rsv2(), frame.rsv3());
    }

    private ByteBuffer nextMessage() {
        next = (next + 1) & (MESSAGES - 1);
        return messages[next].duplicate();
    }

    /** Compresses one message on the server side. */
    @Benchmark
    public Frame encode() {
        return serverSide.encode(new Frame(Opcode.TEXT, nextMessage(), true), true);
    }

    /** Compresses one message on the server side and decompresses it on the client side. */
    @Benchmark
    public Frame roundTrip() {
        Frame compressed = serverSide.encode(new Frame(Opcode.TEXT, nextMessage(), true), true);
        return clientSide.decode(compressed, MAX_MESSAGE_SIZE);
    }

    /** Decompresses one message compressed without context takeover. */
    @Benchmark
    public Frame decode() {
        next = (next + 1) & (MESSAGES - 1);
        Frame frame = compressedNoContext[next];
        return clientNoContext.decode(frame.withPayload(frame.payload().duplicate()), MAX_MESSAGE_SIZE);
    }
}
