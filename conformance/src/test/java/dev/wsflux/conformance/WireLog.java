package dev.wsflux.conformance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The wire evidence of one connection: what was sent ({@code →}) and received ({@code ←}), with millisecond
 * timestamps, keeping the first and the last lines of long exchanges. Thread-safe.
 */
public final class WireLog {

    private static final int HEAD = 40;
    private static final int TAIL = 20;

    private final long start = System.nanoTime();
    private final List<String> head = new ArrayList<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private long elided;

    /** Records a line. */
    public synchronized void add(String line) {
        String stamped = "%6d ms %s".formatted((System.nanoTime() - start) / 1_000_000, line);
        if (head.size() < HEAD) {
            head.add(stamped);
            return;
        }
        tail.addLast(stamped);
        if (tail.size() > TAIL) {
            tail.removeFirst();
            elided++;
        }
    }

    /** The recorded lines, with a marker where lines were elided. */
    public synchronized List<String> lines() {
        List<String> lines = new ArrayList<>(head);
        if (elided > 0) {
            lines.add("       … " + elided + " lines elided …");
        }
        lines.addAll(tail);
        return lines;
    }
}
