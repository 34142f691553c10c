package dev.kadshare.simulation.report;

import java.util.Arrays;

/** Swarm run: each downloader's completion time against the Kumar–Ross minimum distribution time. */
public record SwarmReport(String mode, int nodes, long seed, long fileBytes, double[] completionSeconds,
                          double boundSeconds, Cost cost) implements Report {
    public SwarmReport {
        completionSeconds = completionSeconds.clone();
    }

    @Override
    public String scenario() {
        return "swarm";
    }

    public Summary completion() {
        return Summary.of(completionSeconds);
    }

    /** Last completion over the bound; 1.0 would be a perfect schedule. */
    public double boundRatio() {
        return Arrays.stream(completionSeconds).max().orElse(Double.POSITIVE_INFINITY) / boundSeconds;
    }
}
