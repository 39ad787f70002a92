/**
 * Short examples to copy: an echo handler in WebFlux style, a ticker fan-out, a reconnecting client and a
 * blocking client. Each one is compiled and tested in this module; the tests show how to test handlers
 * with {@code StepVerifier} and {@link dev.wsflux.test.WebSocketTestPair}.
 */
package dev.wsflux.samples.examples;
