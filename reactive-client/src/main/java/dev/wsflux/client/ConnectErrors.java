package dev.wsflux.client;

import dev.wsflux.protocol.WebSocketException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import reactor.core.Exceptions;

/**
 * Turns what Reactor Netty reports when a connection cannot be set up into wsflux exceptions whose causes are
 * JDK exceptions: no Netty or Reactor type reaches a user (DESIGN.md). Netty's own exceptions extend the JDK's
 * ({@code AnnotatedConnectException} is a {@link ConnectException}, {@code NotSslRecordException} an {@link
 * SSLException}, its DNS resolver's {@link UnknownHostException} has a Netty cause), so each is copied as the
 * nearest JDK class, keeping its message (without the native call that Netty's epoll transport puts first) and
 * its stack trace. Stateless.
 */
final class ConnectErrors {
    /** What Netty's native transport puts before the system's message: {@code "finishConnect(..) failed with error(-111): "}. */
    private static final Pattern NATIVE_CALL =
            Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

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

    /**
     * {@code error} when it and its causes are JDK classes, else a copy of it as the nearest JDK class (with the
     * same message, without Netty's native call, and the same stack trace) whose cause is the copy of its cause.
     */
    static Throwable jdk(Throwable error) {
        if (error == null) {
            return null;
        }
        if (isJdk(error) && isClean(error)) {
            return error;
        }
        Throwable copy = copy(error);
        Throwable cause = error.getCause();
        if (cause != null && cause != error) {
            copy.initCause(jdk(cause));
        }
        return copyStackTrace(copy, error);
    }

    /** Whether every cause of {@code error} is a JDK class. */
    private static boolean isClean(Throwable error) {
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            if (!isJdk(cause)) {
                return false;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return true;
    }

    static boolean isJdk(Throwable error) {
        String name = error.getClass().getName();
        return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("sun.");
    }

    /** A new exception of the nearest JDK class that says the same, without a cause. */
    private static Throwable copy(Throwable error) {
        String message = nativeMessage(error.getMessage());
        if (error instanceof SSLHandshakeException) {
            return new SSLHandshakeException(message);
        } else if (error instanceof SSLException) {
            return new SSLException(message);
        } else if (error instanceof UnknownHostException) {
            return new UnknownHostException(message);
        } else if (error instanceof NoRouteToHostException) {
            return new NoRouteToHostException(message);
        } else if (error instanceof ConnectException) {
            return new ConnectException(message);
        } else if (error instanceof PortUnreachableException) {
            return new PortUnreachableException(message);
        } else if (error instanceof SocketTimeoutException) {
            return new SocketTimeoutException(message);
        } else if (error instanceof SocketException) {
            return new SocketException(message);
        } else if (error instanceof ClosedChannelException) {
            return new ClosedChannelException();
        } else if (error instanceof IOException) {
            return new IOException(message);
        } else if (error instanceof TimeoutException) {
            return new TimeoutException(message);
        } else if (error instanceof Error) {
            return new Error(message);
        } else if (error instanceof RuntimeException && !isJdk(error)) {
            // A Netty or Reactor failure of the connection itself (ChannelException...): an I/O failure.
            return new IOException(message);
        } else if (error instanceof RuntimeException) {
            return new RuntimeException(message);
        }
        return new Exception(message);
    }

    private static Throwable copyStackTrace(Throwable copy, Throwable original) {
        copy.setStackTrace(original.getStackTrace());
        return copy;
    }

    /** The message without Netty's native call prefix ({@code "finishConnect(..) failed with error(-111): "}). */
    private static String nativeMessage(String message) {
        return message == null ? null : NATIVE_CALL.matcher(message).replaceFirst("");
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
        return REMOTE_ADDRESS.matcher(nativeMessage(message)).replaceFirst("");
    }

    static String lowerCaseFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
