package dev.kadshare.node.events;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node's recent events, each under an id one above the last, in a history of bounded length: a reader that
 * comes back with the last id it saw gets everything after it that is still held, or is told that some is gone.
 */
public final class EventLog {
    /** One event under its id. */
    public record Entry(long id, NodeEvent event) {}

    /** What a reader gets for "everything after id N". */
    public sealed interface Read {
        /** The events after N, oldest first (none yet: empty). */
        record Events(List<Entry> entries) implements Read {}

        /**
         * Some events after N are no longer held (or N was never issued here, such as an id of an earlier run of
         * the daemon): the reader must refetch what it shows, and goes on after {@code latest}.
         */
        record Missed(long after, long latest) implements Read {}

        /** The log is closed: the node stops. */
        record Closed() implements Read {}
    }

    private final int capacity;
    private final ArrayDeque<Entry> held;
    /** The id of the newest event dropped from the history, or of none (one below the first id). */
    private long dropped;
    private long latest;
    private boolean closed;

    /**
     * @param firstId the first event's id: the daemon starts above the ids of its earlier runs (see README), so
     *     that an id from one of them is recognised as missed rather than taken for a recent one
     */
    public EventLog(int capacity, long firstId) {
        if (capacity < 1 || firstId < 1) {
            throw new IllegalArgumentException("capacity " + capacity + ", first id " + firstId);
        }
        this.capacity = capacity;
        this.held = new ArrayDeque<>(capacity);
        this.dropped = firstId - 1;
        this.latest = firstId - 1;
    }

    /** Adds an event under the next id and wakes the readers waiting for it; returns the id. */
    public synchronized long append(NodeEvent event) {
        latest++;
        if (held.size() == capacity) {
            dropped = held.removeFirst().id();
        }
        held.addLast(new Entry(latest, event));
        notifyAll();
        return latest;
    }

    /** The newest id issued (one below the first when none was). */
    public synchronized long latest() {
        return latest;
    }

    /** Everything after {@code after}, at once (empty when nothing is newer). */
    public synchronized Read after(long after) {
        if (closed) {
            return new Read.Closed();
        }
        if (after < dropped || after > latest) {
            return new Read.Missed(after, latest);
        }
        // Ids are consecutive: the entry after `after` sits at a known offset from the oldest held.
        int skip = held.isEmpty() ? 0 : (int) (after + 1 - held.peekFirst().id());
        return new Read.Events(held.stream().skip(skip).toList());
    }

    /** As {@link #after}, waiting up to {@code timeout} for something newer than {@code after}. */
    public synchronized Read await(long after, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left = timeout.toNanos();
        while (!closed && latest == after && left > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
            left = deadline - System.nanoTime();
        }
        return after(after);
    }

    /** Wakes every waiting reader with {@link Read.Closed}; later appends are still taken but nobody reads them. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
