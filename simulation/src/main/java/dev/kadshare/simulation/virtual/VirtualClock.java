package dev.kadshare.simulation.virtual;

import dev.kadshare.dht.node.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time for a whole simulated network: one event queue run from one thread. Ties run in
 * scheduling order (a sequence number), so a run is a pure function of its inputs.
 */
public final class VirtualClock implements InstantSource, Scheduler {
    /** An arbitrary fixed origin, so reports never depend on the wall clock. */
    public static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    private static final class Event implements Cancellable {
        final long at;
        final long seq;
        final Runnable action;
        boolean cancelled;

        Event(long at, long seq, Runnable action) {
            this.at = at;
            this.seq = seq;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long nowNanos;
    private long seq;
    private long executed;

    @Override
    public Instant instant() {
        return ORIGIN.plusNanos(nowNanos);
    }

    /** Nanoseconds since {@link #ORIGIN}. */
    public long nanos() {
        return nowNanos;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return scheduleNanos(Math.max(0, delay.toNanos()), task);
    }

    public Cancellable scheduleNanos(long delayNanos, Runnable task) {
        Event e = new Event(nowNanos + delayNanos, seq++, task);
        queue.add(e);
        return e;
    }

    /** Runs events until {@code done} holds or virtual time would pass {@code limit}; returns whether it holds. */
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        long deadline = nowNanos + limit.toNanos();
        while (!done.getAsBoolean()) {
            Event e = queue.peek();
            if (e == null || e.at > deadline) {
                nowNanos = Math.max(nowNanos, Math.min(deadline, e == null ? deadline : e.at));
                return false;
            }
            queue.poll();
            nowNanos = e.at;
            if (!e.cancelled) {
                executed++;
                e.action.run();
            }
        }
        return true;
    }

    /** Runs every event due within {@code span}, then sets the clock to its end. */
    public void runFor(Duration span) {
        runUntil(() -> false, span);
    }

    public long executedEvents() {
        return executed;
    }
}
