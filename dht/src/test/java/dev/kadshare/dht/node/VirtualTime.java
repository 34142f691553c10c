package dev.kadshare.dht.node;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/** A clock and scheduler in virtual time, driven from one thread: tasks run in time order, none concurrently. */
final class VirtualTime implements InstantSource, Scheduler {
    private record Task(Instant at, long seq, Runnable action, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            (a, b) -> a.at.equals(b.at) ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private long seq;

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Task(now.plus(delay), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs every task due within {@code span} from now, then sets the clock to the end of it. */
    void runFor(Duration span, int maxTasks) {
        Instant end = now.plus(span);
        for (int i = 0; i < maxTasks; i++) {
            Task t = queue.peek();
            if (t == null || t.at.isAfter(end)) {
                now = end;
                return;
            }
            queue.poll();
            now = t.at;
            if (!t.cancelled[0]) {
                t.action.run();
            }
        }
        throw new AssertionError("more than " + maxTasks + " tasks within " + span);
    }

    /** Runs tasks until {@code done} holds; fails if it needs more than {@code maxTasks} or {@code maxTime}. */
    void runUntil(BooleanSupplier done, int maxTasks, Duration maxTime) {
        Instant deadline = now.plus(maxTime);
        for (int i = 0; i < maxTasks; i++) {
            if (done.getAsBoolean()) {
                return;
            }
            Task t = queue.poll();
            if (t == null || t.at.isAfter(deadline)) {
                throw new AssertionError("condition not reached by " + now + " (queue empty: " + (t == null) + ")");
            }
            now = t.at;
            if (!t.cancelled[0]) {
                t.action.run();
            }
        }
        if (!done.getAsBoolean()) {
            throw new AssertionError("condition not reached within " + maxTasks + " tasks");
        }
    }
}
