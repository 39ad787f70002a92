package dev.wsflux.interop;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Python {@code websockets} (Debian {@code python3-websockets}) against our server and our client. */
class PythonWebSocketsIT {

    @Test
    void websocketsClientTalksToOurServer() {
        Peers.assumePython("import websockets", "python3-websockets");
        PeerClientMatrix.run(
                "websockets client",
                url -> List.of(
                        Peers.PYTHON.toString(),
                        Peers.script("websockets_client.py").toString(),
                        url),
                Map.of(),
                new PeerClientMatrix.Capabilities(true, true, true));
    }

    @Test
    void ourClientTalksToWebsocketsServer() {
        Peers.assumePython("import websockets", "python3-websockets");
        OurClientMatrix.run(
                "websockets server",
                List.of(
                        Peers.PYTHON.toString(),
                        Peers.script("websockets_server.py").toString()),
                Map.of(),
                new OurClientMatrix.Capabilities(true, true, true));
    }
}
