package dev.wsflux.benchmarks;

import java.util.concurrent.CountDownLatch;

/**
 * The command line shared by the two echo servers of the end-to-end benchmark: {@code [host] [port]}
 * (default {@code 127.0.0.1 9001}), and the wait for SIGTERM/SIGINT. Immutable.
 *
 * @param host the address to bind
 * @param port the port to bind
 */
record EchoServerArgs(String host, int port) {
    /** The largest message either server accepts: 16 MiB, well above the 1 MiB scenario. */
    static final int MAX_MESSAGE_SIZE = 16 << 20;

    static EchoServerArgs parse(String[] args) {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9001;
        return new EchoServerArgs(host, port);
    }

    /** Prints the line the benchmark script waits for, then blocks until the JVM is asked to stop. */
    static void awaitShutdown(String name, String host, int port, Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }));
        System.out.println(name + " listening on ws://" + host + ":" + port + " pid "
                + ProcessHandle.current().pid());
        System.out.flush();
        stopped.await();
    }
}
