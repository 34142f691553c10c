package dev.kadshare.node.transfers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The rate of a growing byte count over the last few seconds (a sliding window), from samples of the count: what
 * status shows as a transfer's download and upload rates. A count seen all at once (a download re-attached to, a
 * resumed file) is no burst, since only growth inside the window counts; time stopped (a pause) weighs nothing
 * once the window is {@link #clear cleared}. Time is given with each call, never read. Not thread-safe.
 */
public final class RateWindow {
    /** Less than this of history gives no rate: one sample after a quarter second would be mostly noise. */
    private static final long MIN_SPAN_NANOS = Duration.ofSeconds(1).toNanos();
    /** Samples closer together replace each other, so frequent readers do not grow the window. */
    private static final long MIN_GAP_NANOS = Duration.ofMillis(100).toNanos();

    private record Sample(long at, long total) {}

    private final long windowNanos;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    public RateWindow(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** The count is {@code total} at {@code now}. A count lower than the last one starts the window afresh. */
    public void record(Instant now, long total) {
        long at = nanos(now);
        Sample last = samples.peekLast();
        if (last != null && (total < last.total() || at < last.at())) {
            samples.clear();
        }
        if (samples.size() >= 2 && at - beforeLast().at() < MIN_GAP_NANOS) {
            samples.pollLast();
        }
        samples.addLast(new Sample(at, total));
        // Keep one sample at or before the window's start, for the count there; drop what is older.
        while (samples.size() >= 2 && second().at() <= at - windowNanos) {
            samples.pollFirst();
        }
    }

    /** Forgets every sample: what came before (a pause, a search) does not weigh on the rate from now on. */
    void clear() {
        samples.clear();
    }

    /**
     * Bytes per second over the window ending {@code now}, or over the history there is when it is shorter; 0 with
     * less than a second of history.
     */
    public long bytesPerSecond(Instant now) {
        if (samples.size() < 2) {
            return 0;
        }
        long at = nanos(now);
        long from = Math.max(samples.peekFirst().at(), at - windowNanos);
        if (at - from < MIN_SPAN_NANOS) {
            return 0;
        }
        double grown = samples.peekLast().total() - totalAt(from);
        return Math.round(grown * 1e9 / (at - from));
    }

    /** The count at {@code at}, interpolated between the samples around it. */
    private double totalAt(long at) {
        Sample before = samples.peekFirst();
        for (Sample s : samples) {
            if (s.at() >= at) {
                if (s.at() == before.at()) {
                    return s.total();
                }
                double share = (double) (at - before.at()) / (s.at() - before.at());
                return before.total() + share * (s.total() - before.total());
            }
            before = s;
        }
        return before.total();
    }

    /** How many samples it keeps: about one per 100 ms of the window. */
    int samples() {
        return samples.size();
    }

    private Sample second() {
        Iterator<Sample> it = samples.iterator();
        it.next();
        return it.next();
    }

    private Sample beforeLast() {
        Iterator<Sample> it = samples.descendingIterator();
        it.next();
        return it.next();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
