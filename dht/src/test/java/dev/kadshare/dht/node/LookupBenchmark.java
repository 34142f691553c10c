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
 * {@code mvn -B -q -pl dht test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.kadshare.dht.node.LookupBenchmark -Dexec.args="2000 2000"} (nodes, lookups);
 * {@link LookupBenchmarkTest} runs it at 200 nodes as part of the normal build.
 */
public final class LookupBenchmark {
    /** What one run measured. */
    record Report(int nodes, int lookups, int succeeded, int[] hops, int[] rpcs) {
        double successRate() {
            return (double) succeeded / lookups;
        }

        @Override
        public String toString() {
            return String.format("nodes=%d lookups=%d success=%.2f%% hops median=%d p95=%d | rpcs median=%d p95=%d mean=%.1f",
                    nodes, lookups, 100 * successRate(), percentile(hops, 50), percentile(hops, 95),
                    percentile(rpcs, 50), percentile(rpcs, 95), Arrays.stream(rpcs).average().orElse(0));
        }
    }

    private LookupBenchmark() {
    }

    /** Builds {@code nodes} nodes, announces 20 keys from random nodes, then runs {@code lookups} random lookups. */
    static Report run(int nodes, int lookups, long seed) {
        SimulatedDht sim = new SimulatedDht(seed);
        sim.grow(nodes);
        List<NodeId> keys = new ArrayList<>();
        List<InetSocketAddress> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            NodeId key = NodeId.random(sim.random);
            DhtNode announcer = sim.randomAlive();
            sim.await(announcer.announce(key, 6881));
            keys.add(key);
            expected.add(new InetSocketAddress(announcer.localAddress().getAddress(), 6881));
        }
        int succeeded = 0;
        int[] hops = new int[lookups];
        int[] rpcs = new int[lookups];
        for (int i = 0; i < lookups; i++) {
            int k = sim.random.nextInt(keys.size());
            LookupResult r = sim.await(sim.randomAlive().lookupPeers(keys.get(k)));
            if (r.peers().contains(expected.get(k))) {
                succeeded++;
            }
            hops[i] = r.hops();
            rpcs[i] = r.rpcs();
        }
        return new Report(nodes, lookups, succeeded, hops, rpcs);
    }

    static int percentile(int[] values, int p) {
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int lookups = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long started = System.nanoTime();
        Report report = run(nodes, lookups, 2026);
        System.out.println(report + String.format(" (%.1f s)", (System.nanoTime() - started) / 1e9));
    }
}
