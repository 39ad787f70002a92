package dev.wsflux.protocol.testing;

import dev.wsflux.protocol.ClientProtocol;
import dev.wsflux.protocol.ProtocolState;
import dev.wsflux.protocol.ServerProtocol;
import dev.wsflux.protocol.frames.Event;
import dev.wsflux.protocol.frames.MaskKeySource;
import dev.wsflux.protocol.http11.Headers;
import dev.wsflux.protocol.http11.Request;
import dev.wsflux.protocol.http11.WebSocketKey;
import dev.wsflux.protocol.http11.WebSocketUri;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Protocols taken through a valid opening handshake, for tests of what happens after it. */
public final class OpenProtocols {
    /** The RFC 6455 §1.3 sample key and its accept value. */
    public static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    public static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /** The mask key of RFC 6455 §5.7's masked examples. */
    public static final int MASK = 0x37fa213d;

    private OpenProtocols() {}

    /** A valid upgrade request with the sample key and optional extra header lines ("Name: value"). */
    public static String request(String... extraLines) {
        StringBuilder text = new StringBuilder("GET /chat HTTP/1.1\r\n"
                + "Host: server.example.com\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String line : extraLines) {
            text.append(line).append("\r\n");
        }
        return text.append("\r\n").toString();
    }

    /** An open server protocol built by {@code customize}; the handshake output was drained. */
    public static ServerProtocol server(UnaryOperator<ServerProtocol.Builder> customize, String... requestLines) {
        ServerProtocol server = customize.apply(ServerProtocol.builder()).build();
        server.receiveData(ascii(request(requestLines)));
        List<Event> events = server.eventsReceived();
        server.sendResponse(server.accept((Request) events.get(0)));
        server.dataToSend();
        if (server.state() != ProtocolState.OPEN) {
            throw new AssertionError("handshake failed: " + server.handshakeException());
        }
        return server;
    }

    /** An open server protocol with the defaults. */
    public static ServerProtocol server() {
        return server(builder -> builder);
    }

    /** An open client protocol built by {@code customize}, masking with {@link #MASK}; output drained. */
    public static ClientProtocol client(UnaryOperator<ClientProtocol.Builder> customize, String... responseLines) {
        ClientProtocol client = customize
                .apply(ClientProtocol.builder(WebSocketUri.parse("ws://server.example.com/chat"))
                        .maskKeys(MaskKeySource.fixed(MASK))
                        .random(new Random(0)))
                .build();
        Request request = client.connect();
        client.sendRequest(request);
        client.dataToSend();
        String accept = WebSocketKey.accept(request.headers().get("Sec-WebSocket-Key"));
        StringBuilder response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n");
        for (String line : responseLines) {
            response.append(line).append("\r\n");
        }
        client.receiveData(ascii(response.append("\r\n").toString()));
        client.eventsReceived();
        if (client.state() != ProtocolState.OPEN) {
            throw new AssertionError("handshake failed: " + client.handshakeException());
        }
        return client;
    }

    /** An open client protocol with the defaults. */
    public static ClientProtocol client() {
        return client(builder -> builder);
    }

    /** The ASCII bytes of {@code text}. */
    public static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Concatenates buffers into one byte array. */
    public static byte[] concat(List<ByteBuffer> buffers) {
        int length = 0;
        for (ByteBuffer buffer : buffers) {
            length += buffer.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (ByteBuffer buffer : buffers) {
            all.put(buffer.duplicate());
        }
        return all.array();
    }

    /** Headers from "Name: value" lines. */
    public static Headers headers(String... lines) {
        Headers.Builder builder = Headers.builder();
        for (String line : lines) {
            int colon = line.indexOf(':');
            builder.add(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return builder.build();
    }
}
