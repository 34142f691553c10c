package dev.kadshare.transfer.swarm;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How many requests to keep outstanding at one peer: as many as it answers in one round trip (Little's law:
 * its delivery rate times the round trip, which includes the chunk's own transmission), with a quarter of a
 * chunk to spare, so the peer never waits for our next request; at least as many as it answers in
 * {@link #QUEUE_WAIT_SECONDS}; never more than a cap. Deeper buys no speed on a slow or shared link; it only
 * holds chunks in this peer's queue that others could send sooner. While the pipeline is what limits the
 * rate, the gap between answers is a whole round trip, rate x round trip is 1, the spare quarter adds a
 * request, and the depth grows until the link, not the pipeline, sets the pace.
 *
 * <p>The round trip is that of a request sent while nothing else was outstanding at the peer (a request
 * queued behind our own earlier ones measures our queue, not the link), smoothed, and lowered at once by any
 * faster answer. The delivery rate is one over the smoothed gap between answers, counted from the later of
 * the previous answer and the request. Not thread-safe; no clock: the caller passes the instants.
 */
final class PipelineDepth {
    /** Weight of a new sample in the smoothed figures, as TCP smooths its round trip. */
    private static final double GAIN = 1.0 / 8;
    /**
     * However fast a peer answers, a request may wait this long behind our own earlier ones: nothing next to
     * a chunk's spread through a swarm (a hop is a round trip plus a chunk's transmission), and at high rates
     * it lets both ends batch reads, writes and hashing. On loopback (1 MiB chunks) the round-trip rule alone
     * settles at 2 to 3 and a download runs at 230 MB/s; the full 8 gives 750 MB/s.
     */
    static final double QUEUE_WAIT_SECONDS = 0.1;
    /** Chunks to spare over rate x round trip, for jitter; below 1, so a peer 1.7 s a chunk away gets 2, not 3. */
    private static final double SLACK = 0.25;

    private final int cap;
    /** Smoothed round trip of an unqueued request, seconds; NaN until measured. */
    private double roundTrip = Double.NaN;
    /** Smoothed seconds between two answers while the peer had work; NaN until measured. */
    private double interval = Double.NaN;
    private long intervals;
    /** When the last answer came; empty before the first. */
    private Optional<Instant> lastAnswer = Optional.empty();

    PipelineDepth(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("cap " + cap);
        }
        this.cap = cap;
    }

    /**
     * A request sent at {@code sent} was answered at {@code now}; {@code alone} when nothing else was
     * outstanding at this peer as it was sent.
     */
    void answered(Instant sent, Instant now, boolean alone) {
        double latency = seconds(sent, now);
        if (alone || Double.isNaN(roundTrip)) {
            roundTrip = smooth(roundTrip, latency);
        } else {
            roundTrip = Math.min(roundTrip, latency); // a queued request's latency bounds the link's from above
        }
        // Busy since the previous answer if this was asked before it; otherwise the gap includes idle time.
        Instant busySince = lastAnswer.filter(sent::isBefore).orElse(sent);
        intervals++;
        // The plain mean of the first few gaps, then the smoothed one: the first gap is a whole round trip
        // and would otherwise hold the depth down for dozens of answers.
        double gain = Math.max(GAIN, 1.0 / intervals);
        double gap = seconds(busySince, now);
        interval = Double.isNaN(interval) ? gap : interval + gain * (gap - interval);
        lastAnswer = Optional.of(now);
    }

    /**
     * Requests to keep outstanding now: 1 before any answer, then rate x round trip plus the slack, rounded
     * up, or the answers of {@link #QUEUE_WAIT_SECONDS} if more, at most the cap.
     */
    int depth() {
        if (Double.isNaN(interval)) {
            return 1;
        }
        if (interval <= 0) {
            return cap; // answers faster than the clock ticks: as deep as allowed
        }
        double coverRoundTrip = Math.ceil(roundTrip / interval + SLACK);
        double batch = Math.floor(QUEUE_WAIT_SECONDS / interval);
        return (int) Math.min(cap, Math.max(coverRoundTrip, batch));
    }

    private static double smooth(double average, double sample) {
        return Double.isNaN(average) ? sample : average + GAIN * (sample - average);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
