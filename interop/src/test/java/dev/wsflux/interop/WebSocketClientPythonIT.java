package dev.wsflux.interop;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Python {@code websocket-client} (Debian {@code python3-websocket}) against our server. It has no client role
 * for us to test against, and no permessage-deflate: the server must decline compression.
 */
class WebSocketClientPythonIT {

    @Test
    void websocketClientTalksToOurServerWithoutCompression() {
        Peers.assumePython("import websocket", "python3-websocket");
        PeerClientMatrix.run(
                "websocket-client",
                url -> List.of(
                        Peers.PYTHON.toString(),
                        Peers.script("websocket_client.py").toString(),
                        url),
                Map.of(),
                new PeerClientMatrix.Capabilities(true, true, false));
    }
}
