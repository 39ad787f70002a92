/**
 * Runnable wsflux examples and the {@code wsflux-samples.jar} command line (demo, echo-server,
 * wsdump, autobahn-client, chat-server).
 */
package dev.wsflux.samples;
