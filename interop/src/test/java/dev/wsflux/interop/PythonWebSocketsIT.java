package dev.wsflux.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Python {@code websockets} (Debian {@code python3-websockets}) against our server and our client. */
class PythonWebSocketsIT {

    @Test
    void websocketsClientTalksToOurServer() {
        Peers.assumePython("import websockets", "python3-websockets");
        try (OurServer server = OurServer.start();
                WireCounter wire = WireCounter.to(server.port());
                PeerProcess peer = PeerProcess.start(
                        "websockets-client",
                        List.of(
                                Peers.PYTHON.toString(),
                                Peers.script("websockets_client.py").toString(),
                                "ws://127.0.0.1:" + wire.port()),
                        Peers.script("common.py").getParent(),
                        Map.of())) {
            peer.awaitSuccess(Duration.ofSeconds(60));
            PeerClientMatrix.assertMatrix(
                    "websockets client",
                    peer.results(),
                    server,
                    wire,
                    new PeerClientMatrix.Capabilities(true, true, true));
        }
    }
}
