package dev.wsflux.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.proxy.ProxyConnectException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;

/** Netty's exceptions, made here, as {@link ConnectErrors} turns them into ours with JDK causes. */
class ConnectErrorsTest {
    @Test
    void aConnectTimeoutBecomesAConnectFailedExceptionWithAJdkConnectException() {
        ConnectTimeoutException netty =
                new ConnectTimeoutException("connection timed out after 30000 ms: /192.0.2.1:80");

        ConnectFailedException e =
                assertInstanceOf(ConnectFailedException.class, ConnectErrors.connectFailed(netty, "192.0.2.1:80"));

        assertEquals("cannot connect to 192.0.2.1:80: connection timed out after 30000 ms", e.getMessage());
        assertEquals(ConnectException.class, e.getCause().getClass());
        assertArrayEquals(netty.getStackTrace(), e.getCause().getStackTrace());
        assertTrue(ReconnectOptions.isRetryable(e));
    }

    @Test
    void reactorsWrapperAndNettysNativeCallAreLeftOut() {
        IOException nativeError = new IOException("connect(..) failed with error(-113): No route to host");

        ConnectFailedException e = assertInstanceOf(
                ConnectFailedException.class,
                ConnectErrors.connectFailed(Exceptions.propagate(nativeError), "192.0.2.1:80"));

        assertEquals("cannot connect to 192.0.2.1:80: no route to host", e.getMessage());
        assertSame(nativeError, e.getCause()); // a JDK exception with JDK causes is kept as it is
    }

    @Test
    void aTlsFailureInsideNettysDecoderExceptionIsTheJdkOne() {
        SSLHandshakeException jdk = new SSLHandshakeException("Received fatal alert: handshake_failure");

        ConnectFailedException e = assertInstanceOf(
                ConnectFailedException.class, ConnectErrors.connectFailed(new DecoderException(jdk), "a.example:443"));

        assertEquals(
                "cannot connect to a.example:443: TLS handshake failed: Received fatal alert: handshake_failure",
                e.getMessage());
        assertSame(jdk, e.getCause());
        assertFalse(ReconnectOptions.isRetryable(e));
    }

    @Test
    void aJdkExceptionWithANettyCauseIsCopiedWithACopiedCause() {
        UnknownHostException resolver = new UnknownHostException("Failed to resolve 'a.invalid'");
        resolver.initCause(new ProxyConnectException("a netty cause"));

        Throwable copy = ConnectErrors.jdk(resolver);

        assertEquals(UnknownHostException.class, copy.getClass());
        assertEquals("Failed to resolve 'a.invalid'", copy.getMessage());
        assertEquals(ConnectException.class, copy.getCause().getClass());
        assertEquals("a netty cause", copy.getCause().getMessage());
    }

    @Test
    void programmingErrorsAreNotDisguised() {
        IllegalArgumentException configuration = new IllegalArgumentException("cannot set up TLS");

        assertSame(configuration, ConnectErrors.connectFailed(configuration, "a.example:443"));
    }
}
