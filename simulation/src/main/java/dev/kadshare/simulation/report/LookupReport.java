package dev.kadshare.simulation.report;

import java.util.List;

/** Lookup or churn run: every lookup's sample, and the figures the issue asks for. */
public record LookupReport(String scenario, String mode, int nodes, long seed, List<LookupSample> samples, Cost cost)
        implements Report {
    public LookupReport {
        samples = List.copyOf(samples);
    }

    public double successRate() {
        return samples.isEmpty() ? 0 : samples.stream().filter(LookupSample::success).count() / (double) samples.size();
    }

    public Summary hops() {
        return Summary.of(samples.stream().mapToDouble(LookupSample::hops).toArray());
    }

    public Summary rpcsPerLookup() {
        return Summary.of(samples.stream().mapToDouble(LookupSample::rpcs).toArray());
    }

    public Summary latencyMs() {
        return Summary.of(samples.stream().mapToDouble(LookupSample::latencyMs).toArray());
    }
}
