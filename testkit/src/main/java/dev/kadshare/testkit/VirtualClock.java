package dev.kadshare.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time: a clock and one event queue, run from one thread. Events run in time order, ties in scheduling
 * order (a sequence number), so a run is a pure function of its inputs. The tests of every module and the
 * simulation's virtual mode run on it; a protocol core takes it as its clock and, through a one-line adapter, as
 * its timers.
 */
public final class VirtualClock implements InstantSource {
    /** An arbitrary fixed origin, so nothing run on this clock depends on the wall clock. */
    public static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    /** A scheduled event that can still be called off. */
    public interface Timer {
        void cancel();
    }

    private final class Event implements Timer {
        final long at;
        final long seq;
        /** Null once cancelled: what it would have run (often a departed node's whole state) can go at once. */
        Runnable action;

        Event(long at, long seq, Runnable action) {
            this.at = at;
            this.seq = seq;
            this.action = action;
        }

        @Override
        public void cancel() {
            if (action != null) {
                action = null;
                cancelledInQueue++;
                purgeIfMostlyCancelled();
            }
        }
    }

    /** Why a run stopped. */
    private enum Stop { DONE, DEADLINE, BUDGET }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long nowNanos;
    private long seq;
    private long executed;
    /** Cancelled events still in the queue (they leave it when due, or when a purge drops them). */
    private int cancelledInQueue;

    @Override
    public Instant instant() {
        return ORIGIN.plusNanos(nowNanos);
    }

    /** Nanoseconds since {@link #ORIGIN}. */
    public long nanos() {
        return nowNanos;
    }

    /** Runs {@code task} after {@code delay} (a negative delay is none). */
    public Timer schedule(Duration delay, Runnable task) {
        return scheduleNanos(Math.max(0, delay.toNanos()), task);
    }

    public Timer scheduleNanos(long delayNanos, Runnable task) {
        Event e = new Event(nowNanos + delayNanos, seq++, task);
        queue.add(e);
        return e;
    }

    /** Runs events until {@code done} holds or virtual time would pass {@code limit}; returns whether it holds. */
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        return run(done, limit, Long.MAX_VALUE) == Stop.DONE;
    }

    /** Like {@link #runUntil(BooleanSupplier, Duration)}, but gives up after {@code maxEvents} events as well. */
    public boolean runUntil(BooleanSupplier done, Duration limit, long maxEvents) {
        return run(done, limit, maxEvents) == Stop.DONE;
    }

    /** Runs every event due within {@code span}, then sets the clock to its end. */
    public void runFor(Duration span) {
        run(() -> false, span, Long.MAX_VALUE);
    }

    /**
     * Runs every event due within {@code span} and sets the clock to its end, unless that takes more than
     * {@code maxEvents} events: then it stops there and returns false.
     */
    public boolean runFor(Duration span, long maxEvents) {
        return run(() -> false, span, maxEvents) == Stop.DEADLINE;
    }

    /** Events waiting in the queue, cancelled ones included until a purge or their time. */
    public int queuedEvents() {
        return queue.size();
    }

    /**
     * A long run cancels far more timers than it fires (every answered request cancels its timeout): once the
     * cancelled ones are most of the queue, they are dropped in one pass, so the queue stays the size of what is
     * really pending.
     */
    private void purgeIfMostlyCancelled() {
        if (cancelledInQueue > 1024 && cancelledInQueue > queue.size() / 2) {
            queue.removeIf(e -> e.action == null);
            cancelledInQueue = 0;
        }
    }

    /** Events run so far, cancelled ones not counted. */
    public long executedEvents() {
        return executed;
    }

    private Stop run(BooleanSupplier done, Duration limit, long maxEvents) {
        long deadline = nowNanos + limit.toNanos();
        for (long polled = 0; !done.getAsBoolean(); polled++) {
            Event e = queue.peek();
            if (e == null || e.at > deadline) {
                nowNanos = Math.max(nowNanos, deadline);
                return Stop.DEADLINE;
            }
            if (polled == maxEvents) {
                return Stop.BUDGET;
            }
            queue.poll();
            nowNanos = e.at;
            Runnable action = e.action;
            if (action == null) {
                cancelledInQueue--;
            } else {
                e.action = null; // fired: a late cancel() of it is a no-op
                executed++;
                action.run();
            }
        }
        return Stop.DONE;
    }
}
