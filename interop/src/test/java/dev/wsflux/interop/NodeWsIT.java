package dev.wsflux.interop;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Node {@code ws} (Debian {@code node-ws}) against our server and our client. */
class NodeWsIT {

    @Test
    void wsClientTalksToOurServer() {
        Peers.assumeNodeWs();
        PeerClientMatrix.run(
                "node ws client",
                url -> List.of(
                        Peers.NODE.toString(), Peers.script("ws_client.js").toString(), url),
                Map.of("NODE_PATH", Peers.NODE_PATH.toString()),
                new PeerClientMatrix.Capabilities(true, true, true));
    }

    @Test
    void ourClientTalksToWsServer() {
        Peers.assumeNodeWs();
        OurClientMatrix.run(
                "node ws server",
                List.of(Peers.NODE.toString(), Peers.script("ws_server.js").toString()),
                Map.of("NODE_PATH", Peers.NODE_PATH.toString()),
                new OurClientMatrix.Capabilities(true, true, true));
    }
}
