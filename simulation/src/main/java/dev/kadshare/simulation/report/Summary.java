package dev.kadshare.simulation.report;

import java.util.Arrays;

/** Median, 95th percentile and maximum of a sample (nearest rank; zeros for an empty sample). */
public record Summary(double median, double p95, double max) {
    public static Summary of(double[] values) {
        if (values.length == 0) {
            return new Summary(0, 0, 0);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Summary(rank(sorted, 0.5), rank(sorted, 0.95), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
