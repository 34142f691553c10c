package dev.kadshare.simulation.report;

import java.util.List;

/**
 * Lookup or churn run: every lookup's sample, and the figures the issue asks for. {@code joined} says how
 * many of the nodes joined, {@code cutShort} which phases ran out of time (empty on a whole run);
 * {@code medianRttMs} is the network's median round trip, 0 where it is not known (loopback).
 */
public record LookupReport(String scenario, String mode, int nodes, int joined, List<String> cutShort, long seed,
                           List<LookupSample> samples, double medianRttMs, Cost cost) implements Report {
    public LookupReport {
        cutShort = List.copyOf(cutShort);
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

    /**
     * Each successful lookup's latency over (hops x the median round trip): 1 is a lookup as fast as its hops
     * in sequence at the typical round trip. Empty where the round trip is not known.
     */
    public Summary latencyPerHopRtt() {
        if (medianRttMs <= 0) {
            return Summary.of(new double[0]);
        }
        return Summary.of(samples.stream().filter(s -> s.success() && s.hops() > 0)
                .mapToDouble(s -> s.latencyMs() / (s.hops() * medianRttMs)).toArray());
    }
}
