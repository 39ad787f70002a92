package dev.wsflux.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * One keepalive timer for every connection that shares a timer {@link Scheduler} and a ping interval,
 * instead of a periodic task per connection (which kept 120 B per idle connection in the scheduler's
 * queue: the JDK's scheduled future, Reactor's periodic task and their adapters).
 *
 * <p>Members wait in one doubly linked list, in the order of their deadlines: every deadline is set to "now
 * plus the interval" when a member joins or fires, and the timer's clock never goes back, so appending
 * keeps the list sorted. One one-shot task on the timer waits for the head's deadline; when it runs it
 * takes every member that is due, moves it to the tail with a new deadline, and fires it outside the lock.
 * A member fires {@code interval} after it joined, then {@code interval} after each firing (fixed delay, as
 * {@code websockets} sleeps {@code ping_interval} between pings).
 *
 * <p>Tickers live in a registry keyed by scheduler and interval while they have members; the last member to
 * leave retires the ticker and cancels its task, so nothing stays behind for a scheduler nobody uses
 * (a test's {@code VirtualTimeScheduler}, say). Thread-safe: members join and leave on their event loops,
 * the task runs on the timer.
 */
final class KeepaliveTicker {

    /** A connection's keepalive, as the ticker sees it. The list links are the ticker's, under its lock. */
    abstract static class Member {
        private Member prev;
        private Member next;
        private long deadline;
        private KeepaliveTicker ticker;

        /** The interval elapsed: send a keepalive ping. Called on the timer's thread, outside any lock. */
        abstract void tick();
    }

    private record Key(Scheduler timer, long intervalNanos) {}

    private static final Logger LOG = Loggers.getLogger(KeepaliveTicker.class);
    // Global by design, and without a lifetime of its own: it is keyed by the timer, so it is per timer (per
    // server or client, whichever owns the scheduler), and an entry lives exactly as long as it has members.
    private static final ConcurrentHashMap<Key, KeepaliveTicker> TICKERS = new ConcurrentHashMap<>();

    private final Key key;
    private Member head;
    private Member tail;
    private boolean retired;
    private Disposable task;

    private KeepaliveTicker(Key key) {
        this.key = key;
    }

    /**
     * Makes {@code member} tick every {@code intervalNanos} on {@code timer} until {@link #leave}. A member
     * joins and leaves from one thread (its event loop), one ticker at a time.
     */
    static void join(Member member, Scheduler timer, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalNanos);
        }
        if (member.ticker != null) {
            throw new IllegalStateException("already ticking");
        }
        Key key = new Key(timer, intervalNanos);
        while (true) {
            KeepaliveTicker ticker = TICKERS.computeIfAbsent(key, KeepaliveTicker::new);
            synchronized (ticker) {
                if (ticker.retired) {
                    continue; // it retired between the lookup and the lock: a new one is (or will be) registered
                }
                member.ticker = ticker;
                ticker.append(member, ticker.now() + intervalNanos);
                ticker.scheduleHead();
                return;
            }
        }
    }

    /** Stops {@code member}'s ticks; does nothing if it is not ticking. */
    static void leave(Member member) {
        while (true) {
            KeepaliveTicker ticker = member.ticker;
            if (ticker == null) {
                return;
            }
            synchronized (ticker) {
                if (member.ticker != ticker) {
                    continue;
                }
                ticker.unlink(member);
                member.ticker = null;
                if (ticker.head == null) {
                    ticker.retire();
                }
                return;
            }
        }
    }

    /** Whether a ticker for {@code timer} and {@code intervalNanos} has members (for tests). */
    static boolean isTicking(Scheduler timer, long intervalNanos) {
        return TICKERS.containsKey(new Key(timer, intervalNanos));
    }

    private void tick() {
        List<Member> due = null;
        synchronized (this) {
            task = null;
            if (retired) {
                return;
            }
            long now = now();
            // Every member that was on the list when the task ran and is due now; the moved ones go to the
            // tail with a later deadline, so the loop stops at the first one that is not due.
            while (head != null && head.deadline - now <= 0) {
                Member member = head;
                unlink(member);
                append(member, now + key.intervalNanos());
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(member);
            }
            scheduleHead();
        }
        if (due != null) {
            for (int i = 0, n = due.size(); i < n; i++) {
                try {
                    due.get(i).tick();
                } catch (Throwable e) {
                    LOG.warn("keepalive tick failed", e); // one member's failure must not stop the others
                }
            }
        }
    }

    /**
     * Under the lock: makes sure a task waits for the head's deadline. A pending task is never late for the
     * head: members join at the tail and the head only ever moves to a later deadline.
     */
    private void scheduleHead() {
        if (head == null || retired || task != null) {
            return;
        }
        long delay = Math.max(0, head.deadline - now());
        task = key.timer().schedule(this::tick, delay, TimeUnit.NANOSECONDS);
    }

    private void retire() {
        retired = true;
        TICKERS.remove(key, this);
        if (task != null) {
            task.dispose();
            task = null;
        }
    }

    private void append(Member member, long deadline) {
        member.deadline = deadline;
        member.prev = tail;
        member.next = null;
        if (tail == null) {
            head = member;
        } else {
            tail.next = member;
        }
        tail = member;
    }

    private void unlink(Member member) {
        if (member.prev == null) {
            head = member.next;
        } else {
            member.prev.next = member.next;
        }
        if (member.next == null) {
            tail = member.prev;
        } else {
            member.next.prev = member.prev;
        }
        member.prev = null;
        member.next = null;
    }

    private long now() {
        return key.timer().now(TimeUnit.NANOSECONDS);
    }
}
