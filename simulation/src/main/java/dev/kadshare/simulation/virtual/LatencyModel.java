package dev.kadshare.simulation.virtual;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * One-way latency per pair of hosts, drawn once from a lognormal distribution and fixed for the run:
 * the pair's value is a hash of (seed, pair), so nothing is stored for the n² pairs and it is symmetric.
 */
public final class LatencyModel {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private final double mu;
    private final double sigma;
    private final long seed;

    /** {@code medianMillis} is the median one-way latency; {@code sigma} the shape of the log. */
    public LatencyModel(double medianMillis, double sigma, long seed) {
        this.mu = Math.log(medianMillis);
        this.sigma = sigma;
        this.seed = seed;
    }

    /** Latency between hosts {@code a} and {@code b}, in nanoseconds. */
    public long nanos(int a, int b) {
        long h = mix(seed ^ mix(Math.min(a, b) * 0x9E3779B97F4A7C15L + Math.max(a, b)));
        double u = ((h >>> 11) + 0.5) / (1L << 53);
        // exp(mu + sigma * z) is lognormal; the normal's inverse CDF is closed-form (erfInv), the
        // lognormal's in commons-math is a numeric solve, too slow for every datagram.
        double millis = Math.exp(mu + sigma * STANDARD_NORMAL.inverseCumulativeProbability(u));
        return Math.round(millis * 1_000_000);
    }

    /** SplitMix64 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
