package dev.kadshare.simulation.scenario;

import dev.kadshare.simulation.cluster.Cluster;
import dev.kadshare.simulation.cluster.SimNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Grows a network to {@code n} nodes the way real ones join: the first node stands alone, each later
 * one bootstraps from the first and from a random node that joined before it.
 */
public final class NetworkBuilder {
    private NetworkBuilder() {}

    /** Starts and bootstraps {@code n} nodes, {@code concurrency} joins at a time; returns how many joined. */
    public static int build(Cluster cluster, int n, int concurrency, RandomGenerator random, Duration timeout) {
        SimNode first = cluster.start();
        for (int i = 1; i < n; i++) {
            cluster.start();
        }
        List<SimNode> nodes = List.copyOf(cluster.nodes());
        // Drawn up front: on loopback the joins are started from several event-loop threads.
        int[] earlier = new int[n];
        for (int i = 1; i < n; i++) {
            earlier[i] = random.nextInt(i);
        }
        AtomicInteger joined = new AtomicInteger(1);
        var all = Throttle.run(n - 1, concurrency, i -> {
            SimNode node = nodes.get(i + 1);
            InetSocketAddress other = nodes.get(earlier[i + 1]).address();
            List<InetSocketAddress> seeds = other.equals(first.address()) ? List.of(first.address())
                    : List.of(first.address(), other);
            return cluster.call(node, dht -> dht.bootstrap(seeds)).thenRun(joined::incrementAndGet);
        });
        cluster.await(all, timeout);
        return joined.get();
    }

    /** Bootstraps a newcomer from two random other live nodes (a node joining under churn). */
    public static CompletableFuture<Integer> join(Cluster cluster, SimNode newcomer, RandomGenerator random) {
        List<SimNode> nodes = cluster.nodes();
        List<InetSocketAddress> seeds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SimNode seed = nodes.get(random.nextInt(nodes.size()));
            if (seed != newcomer) {
                seeds.add(seed.address());
            }
        }
        return cluster.call(newcomer, dht -> dht.bootstrap(seeds));
    }
}
