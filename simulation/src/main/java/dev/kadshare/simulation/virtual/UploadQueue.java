package dev.kadshare.simulation.virtual;

import dev.kadshare.testkit.VirtualClock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A host's upload side: the chunks its server handed to each connection queue per connection, in order, and the
 * connections take turns, one chunk each, through the host's upload {@link Pipe}: the chunk-grained version of TCP
 * sharing a link fairly between connections. A chunk once queued goes out, as one written to a socket does, unless
 * the connection closes.
 */
public final class UploadQueue {
    /** A request for chunk {@code index} from host {@code to}, of {@code bytes}. */
    public record Job(int to, int index, long bytes) {
    }

    /** Told when a job starts sending, with the instant its last byte leaves. */
    public interface Sending {
        void started(Job job, long sendEndNanos);
    }

    private final VirtualClock clock;
    private final Pipe pipe;
    private final Sending sending;
    private final Map<Integer, ArrayDeque<Job>> queues = new HashMap<>();
    /** Requesters with queued jobs, in turn order. */
    private final ArrayDeque<Integer> turns = new ArrayDeque<>();
    private boolean busy;

    public UploadQueue(VirtualClock clock, Pipe pipe, Sending sending) {
        this.clock = clock;
        this.pipe = pipe;
        this.sending = sending;
    }

    public void request(Job job) {
        ArrayDeque<Job> queue = queues.computeIfAbsent(job.to(), to -> new ArrayDeque<>());
        if (queue.isEmpty()) {
            turns.add(job.to());
        }
        queue.add(job);
        if (!busy) {
            next();
        }
    }

    /** Drops every job of {@code to} not yet started (its connection closed). */
    public void cancelAll(int to) {
        ArrayDeque<Job> queue = queues.remove(to);
        if (queue != null && !queue.isEmpty()) {
            turns.remove(to);
        }
    }

    private void next() {
        Integer to = turns.poll();
        if (to == null) {
            busy = false;
            return;
        }
        ArrayDeque<Job> queue = queues.get(to);
        Job job = queue.poll();
        if (!queue.isEmpty()) {
            turns.add(to);
        }
        busy = true;
        long end = pipe.reserve(clock.nanos(), job.bytes());
        sending.started(job, end);
        clock.scheduleNanos(end - clock.nanos(), this::next);
    }
}
