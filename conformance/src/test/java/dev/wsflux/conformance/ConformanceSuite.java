package dev.wsflux.conformance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs cases in parallel, a few connections at a time, and keeps the verdicts in catalogue order. The
 * heaviest cases start first so that they overlap with the many small ones. Thread-safe.
 */
public final class ConformanceSuite {

    /**
     * Connections in flight: most cases wait on round trips rather than burn CPU, so a few more than the 2 CI
     * cores overlap those waits; override with {@code -Dwsflux.conformance.parallelism=N}.
     */
    public static final int PARALLELISM = Integer.getInteger("wsflux.conformance.parallelism", 6);

    private ConformanceSuite() {}

    /** Runs {@code play} for every case and returns the verdicts in the order of {@code cases}. */
    public static List<Verdict> run(List<ConformanceCase> cases, Function<Integer, Verdict> play)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM, runnable -> {
            Thread thread = new Thread(runnable, "conformance-case");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingLong((Integer i) -> weight(cases.get(i)))
                    .reversed());
            List<Future<Verdict>> futures = new ArrayList<>(cases.size());
            for (int i = 0; i < cases.size(); i++) {
                futures.add(null);
            }
            for (int i : order) {
                futures.set(i, pool.submit(() -> play.apply(i)));
            }
            List<Verdict> verdicts = new ArrayList<>(cases.size());
            for (Future<Verdict> future : futures) {
                try {
                    verdicts.add(future.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a case crashed the suite", e.getCause());
                }
            }
            return verdicts;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long weight(ConformanceCase c) {
        long bytes = 0;
        for (Step step : c.steps()) {
            if (step instanceof Step.Send send) {
                for (WireFrame frame : send.frames()) {
                    bytes += frame.payload().length + 16;
                }
            } else if (step instanceof Step.RoundTrips trips) {
                for (Observation message : trips.messages()) {
                    bytes += (message.payload().length + 64) * (c.deflate() == null ? 1 : 4);
                }
            }
        }
        return bytes;
    }
}
