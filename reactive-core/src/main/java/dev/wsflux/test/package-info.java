/**
 * Testing support for applications: {@link dev.wsflux.test.WebSocketTestPair}, a client and a server session
 * connected over loopback TCP in one process, for {@code StepVerifier} tests of handlers on virtual time.
 */
package dev.wsflux.test;
