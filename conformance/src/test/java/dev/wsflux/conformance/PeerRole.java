package dev.wsflux.conformance;

/** Which side of the WebSocket connection the conformance peer plays. */
public enum PeerRole {
    /** Autobahn's fuzzing client: the testee is a server; the peer masks its frames and waits for the server's EOF. */
    CLIENT,
    /** Autobahn's fuzzing server: the testee is a client; the peer sends unmasked frames and closes TCP first. */
    SERVER
}
