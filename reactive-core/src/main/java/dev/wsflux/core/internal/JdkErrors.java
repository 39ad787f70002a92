package dev.wsflux.core.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns transport failures into JDK exceptions, so that no Netty type reaches a user (our API rule, for
 * exceptions too): Netty's native transport throws its own {@code IOException} subclasses (such as
 * {@code Errors$NativeIoException} for a reset), and wraps TLS failures in a {@code DecoderException}.
 * Used by the engine for the cause of a connection's closure and by the client for connection failures.
 * Stateless; thread-safe.
 */
public final class JdkErrors {
    /** What Netty's native transport puts before the system's message: {@code "recvAddress(..) failed with error(-104): "}. */
    private static final Pattern NATIVE_CALL =
            Pattern.compile("^\\w+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

    private JdkErrors() {}

    /**
     * {@code error} when it and its causes are JDK classes, else a copy of it as the nearest JDK class (with the
     * same message, without Netty's native call, and the same stack trace) whose cause is the copy of its cause.
     */
    public static Throwable jdk(Throwable error) {
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
    public static boolean isClean(Throwable error) {
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

    /** Whether {@code error} is of a JDK class. */
    public static boolean isJdk(Throwable error) {
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
    public static String nativeMessage(String message) {
        return message == null ? null : NATIVE_CALL.matcher(message).replaceFirst("");
    }
}
