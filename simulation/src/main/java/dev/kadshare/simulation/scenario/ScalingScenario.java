package dev.kadshare.simulation.scenario;

import dev.kadshare.simulation.report.Cost;
import dev.kadshare.simulation.report.CostMeter;
import dev.kadshare.simulation.report.LookupReport;
import dev.kadshare.simulation.report.ScalingReport;
import dev.kadshare.simulation.virtual.VirtualCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** The lookup scenario at each of several sizes, each on a fresh virtual network, smallest first. */
public final class ScalingScenario {
    private ScalingScenario() {}

    /**
     * {@code settingsFor} gives the settings of the run at a size; {@code clusterFor} a fresh cluster for it.
     */
    public static ScalingReport run(List<Integer> sizes, long seed, IntFunction<LookupSettings> settingsFor,
                                    IntFunction<VirtualCluster> clusterFor) {
        CostMeter cost = CostMeter.start();
        List<LookupReport> runs = new ArrayList<>();
        for (int n : sizes.stream().sorted().toList()) {
            try (VirtualCluster cluster = clusterFor.apply(n)) {
                runs.add(LookupScenario.run(cluster, settingsFor.apply(n)));
            }
        }
        // Each run resets the heap peaks as it starts: the whole run's peak is the largest of theirs.
        Cost total = cost.stop();
        long peak = runs.stream().mapToLong(r -> r.cost().peakHeapBytes()).max().orElse(0);
        Cost largest = runs.isEmpty() ? total : runs.get(runs.size() - 1).cost();
        return new ScalingReport("virtual", seed, runs, new Cost(total.wallSeconds(), peak, largest.heapBytesPerNode(),
                largest.heapTop()));
    }
}
