package dev.kadshare.dht.node;

import dev.kadshare.dht.LookupResult;
import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lookup success, hops and RPCs per lookup over a virtual-time network of N nodes. Run with
 * {@code mvn -B -q -pl dht -am test-compile exec:exec@lookup-bench -Dlookup.args="2000 2000"} (nodes, lookups,
 * and optionally {@code churn});
 * {@link LookupBenchmarkTest} runs it at 200 nodes as part of the normal build.
 */
public final class LookupBenchmark {
    /** What one run measured. */
    record Report(boolean churn, int nodes, int lookups, int succeeded, int[] hops, int[] rpcs) {
        double successRate() {
            return (double) succeeded / lookups;
        }

        @Override
        public String toString() {
            return String.format("%s nodes=%d lookups=%d success=%.2f%% hops median=%d p95=%d | rpcs median=%d p95=%d mean=%.1f",
                    churn ? "churn" : "stable", nodes, lookups, 100 * successRate(), percentile(hops, 50), percentile(hops, 95),
                    percentile(rpcs, 50), percentile(rpcs, 95), Arrays.stream(rpcs).average().orElse(0));
        }
    }

    private LookupBenchmark() {
    }

    /** Builds {@code nodes} nodes, announces 20 keys from random nodes, then runs {@code lookups} random lookups. */
    static Report run(int nodes, int lookups, long seed) {
        return run(nodes, lookups, seed, false);
    }

    /**
     * With {@code churn}, the lookups are spread over six 5-minute rounds; in each, 5% of the original
     * node count leaves (never an announcer, whose content would rightly vanish) and as many new nodes
     * join, so 30% have been replaced by the end and the 30-minute TTL has passed (renewals must work).
     */
    static Report run(int nodes, int lookups, long seed, boolean churn) {
        SimulatedDht sim = new SimulatedDht(seed);
        sim.grow(nodes);
        List<NodeId> keys = new ArrayList<>();
        List<DhtNode> announcers = new ArrayList<>();
        List<InetSocketAddress> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            NodeId key = NodeId.random(sim.random);
            DhtNode announcer = sim.randomAlive();
            sim.await(announcer.announce(key, 6881));
            keys.add(key);
            announcers.add(announcer);
            expected.add(new InetSocketAddress(announcer.localAddress().getAddress(), 6881));
        }
        int rounds = churn ? 6 : 1;
        int succeeded = 0;
        int[] hops = new int[lookups];
        int[] rpcs = new int[lookups];
        for (int i = 0; i < lookups; i++) {
            if (churn && i % (lookups / rounds) == 0) {
                for (int j = 0; j < nodes / 20; j++) {
                    sim.leave(sim.randomAliveExcept(announcers));
                    sim.join();
                }
                sim.runFor(Duration.ofMinutes(5));
            }
            int k = sim.random.nextInt(keys.size());
            LookupResult r = sim.await(sim.randomAlive().lookupPeers(keys.get(k)));
            if (r.peers().contains(expected.get(k))) {
                succeeded++;
            }
            hops[i] = r.hops();
            rpcs[i] = r.rpcs();
        }
        return new Report(churn, nodes, lookups, succeeded, hops, rpcs);
    }

    static int percentile(int[] values, int p) {
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        boolean churn = args.length > 2 && args[2].equals("churn");
        long started = System.nanoTime();
        Report report = run(nodes, lookups, 2026, churn);
        System.out.println(report + String.format(" (%.1f s)", (System.nanoTime() - started) / 1e9));
    }
}
