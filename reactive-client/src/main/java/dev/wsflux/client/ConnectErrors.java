package dev.wsflux.client;

import dev.wsflux.core.internal.JdkErrors;
import dev.wsflux.protocol.frames.WebSocketException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import reactor.core.Exceptions;

/**
 * Turns what Reactor Netty reports when a connection cannot be set up into wsflux exceptions whose causes are
 * JDK exceptions: no Netty or Reactor type reaches a user (docs/ARCHITECTURE.md §7). Netty's own exceptions extend the JDK's
 * ({@code AnnotatedConnectException} is a {@link ConnectException}, {@code NotSslRecordException} an {@link
 * SSLException}, its DNS resolver's {@link UnknownHostException} has a Netty cause), so each is copied as the
 * nearest JDK class, keeping its message (without the native call that Netty's epoll transport puts first) and
 * its stack trace. Stateless.
 */
final class ConnectErrors {

    /** What Netty's {@code Annotated...Exception}s append: the remote address, {@code ": /127.0.0.1:8080"}. */
    private static final Pattern REMOTE_ADDRESS = Pattern.compile(": [^ :]*/[^ ]*$");

    private ConnectErrors() {}

    /**
     * The exception for a connection to {@code address} that could not be set up: a {@link
     * ConnectFailedException}, or {@code error} itself when it is already ours or a JDK programming error
     * (such as an {@code IllegalArgumentException} for a TLS configuration that cannot be used).
     *
     * @param address {@code host:port} or a Unix socket path, for the message
     */
    static Throwable connectFailed(Throwable error, String address) {
        Throwable failure = Exceptions.unwrap(error);
        if (failure instanceof WebSocketException || (isJdk(failure) && !(failure instanceof Exception))) {
            return failure;
        }
        if (failure instanceof RuntimeException && isJdk(failure) && isClean(failure)) {
            return failure;
        }
        if (failure.getCause() instanceof SSLException ssl && !(failure instanceof IOException)) {
            failure = ssl; // Netty's DecoderException around the TLS engine's failure
        }
        if (failure instanceof NotSslRecordException) {
            return new ConnectFailedException(
                    address,
                    "TLS handshake failed: the server did not answer with TLS (if it expects plain text, use ws://)",
                    copyStackTrace(new SSLHandshakeException("not an SSL/TLS record"), failure));
        }
        Throwable cause = jdk(failure);
        String reason;
        if (cause instanceof SSLException) {
            reason = "TLS handshake failed: " + message(cause);
        } else if (cause instanceof UnknownHostException) {
            reason = "unknown host";
        } else {
            reason = reason(cause);
        }
        return new ConnectFailedException(address, reason, cause);
    }

    /** See {@link JdkErrors#jdk(Throwable)}. */
    static Throwable jdk(Throwable error) {
        return JdkErrors.jdk(error);
    }

    private static boolean isClean(Throwable error) {
        return JdkErrors.isClean(error);
    }

    static boolean isJdk(Throwable error) {
        return JdkErrors.isJdk(error);
    }

    private static Throwable copyStackTrace(Throwable copy, Throwable original) {
        copy.setStackTrace(original.getStackTrace());
        return copy;
    }

    /** What happened, for a message that names the address already: {@code "connection refused"}. */
    static String reason(Throwable cause) {
        return lowerCaseFirst(message(cause));
    }

    /** The reason for our message: the cause's message without the remote address that we name already. */
    private static String message(Throwable cause) {
        String message = cause.getMessage();
        if (message == null) {
            // "FileNotFoundException" (what Netty's epoll transport says of a missing Unix socket): "file not found"
            String name = cause.getClass().getSimpleName().replaceFirst("Exception$", "");
            return name.replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
        }
        return REMOTE_ADDRESS.matcher(JdkErrors.nativeMessage(message)).replaceFirst("");
    }

    static String lowerCaseFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
