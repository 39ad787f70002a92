package dev.wsflux.interop;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * libsoup 3 through GObject introspection (Debian {@code gir1.2-soup-3.0}, {@code python3-gi}) against our server
 * and our client. libsoup has no API to send fragments or a Ping on demand; its keepalive Ping stands in.
 */
class LibsoupIT {
    static final String IMPORT = "import gi; gi.require_version('Soup', '3.0'); from gi.repository import Soup";

    @Test
    void libsoupClientTalksToOurServer() {
        Peers.assumePython(IMPORT, "python3-gi gir1.2-soup-3.0");
        PeerClientMatrix.run(
                "libsoup client",
                url -> List.of(
                        Peers.PYTHON.toString(),
                        Peers.script("libsoup_client.py").toString(),
                        url),
                Map.of(),
                new PeerClientMatrix.Capabilities(false, true, true));
    }

    @Test
    void ourClientTalksToLibsoupServer() {
        Peers.assumePython(IMPORT, "python3-gi gir1.2-soup-3.0");
        OurClientMatrix.run(
                "libsoup server",
                List.of(
                        Peers.PYTHON.toString(),
                        Peers.script("libsoup_server.py").toString()),
                Map.of(),
                new OurClientMatrix.Capabilities(false, true, true));
    }
}
