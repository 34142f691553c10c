package dev.kadshare.simulation.scenario;

import dev.kadshare.simulation.cluster.Cluster;
import dev.kadshare.simulation.cluster.SimNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Grows a network to {@code n} nodes the way real ones join: the first node stands alone, each later one
 * bootstraps from two random nodes that joined before it. No node is a seed for everyone, and the joins run
 * in waves that at most double the network (as many newcomers as members, at most {@code concurrency} in
 * flight): the build takes log2(n) waves of one join each, not n / concurrency.
 */
public final class NetworkBuilder {
    /** Bootstrap seeds per newcomer: one may be slow or gone, two rarely both. */
    static final int SEEDS = 2;

    private NetworkBuilder() {}

    /** How a build went: how many nodes there are, how many joined, and whether it ran out of time. */
    public record Built(int nodes, int joined, boolean timedOut) {
        public boolean complete() {
            return joined == nodes;
        }
    }

    /**
     * Starts and bootstraps {@code n} nodes, at most {@code concurrency} joins in flight, all within
     * {@code timeout}. Nodes whose join failed or did not finish stay in the cluster, not joined.
     */
    public static Built build(Cluster cluster, int n, int concurrency, RandomGenerator random, Duration timeout) {
        return build(cluster, n, concurrency, random, timeout, node -> true);
    }

    /**
     * As {@link #build(Cluster, int, int, RandomGenerator, Duration)}, each newcomer bootstrapping only from nodes that
     * {@code canSeed} (behind NATs, only public nodes can be reached unasked); the first node must be one.
     */
    public static Built build(Cluster cluster, int n, int concurrency, RandomGenerator random, Duration timeout,
                              Predicate<SimNode> canSeed) {
        cluster.start();
        for (int i = 1; i < n; i++) {
            cluster.start();
        }
        return join(cluster, List.copyOf(cluster.nodes()), concurrency, random, timeout, canSeed);
    }

    /** Joins nodes already started, in this order and in waves as {@link #build} does: the first stands alone. */
    public static Built join(Cluster cluster, List<SimNode> nodes, int concurrency, RandomGenerator random, Duration timeout) {
        return join(cluster, nodes, concurrency, random, timeout, node -> true);
    }

    private static Built join(Cluster cluster, List<SimNode> nodes, int concurrency, RandomGenerator random,
                              Duration timeout, Predicate<SimNode> canSeed) {
        int n = nodes.size();
        if (!canSeed.test(nodes.get(0))) {
            throw new IllegalArgumentException("the first node must be able to seed the others");
        }
        List<SimNode> members = new ArrayList<>(List.of(nodes.get(0)));
        List<SimNode> seeds = new ArrayList<>(members);
        Instant deadline = cluster.clock().instant().plus(timeout);
        int next = 1;
        boolean timedOut = false;
        while (next < n) {
            Duration left = Duration.between(cluster.clock().instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                timedOut = true;
                break;
            }
            int wave = Math.min(Math.min(members.size(), concurrency), n - next);
            // Drawn up front: on loopback the joins are started from several event-loop threads.
            List<List<InetSocketAddress>> seedsOfEach = new ArrayList<>(wave);
            for (int i = 0; i < wave; i++) {
                seedsOfEach.add(seedsFrom(seeds, random));
            }
            List<CompletableFuture<Integer>> joins = new ArrayList<>(wave);
            for (int i = 0; i < wave; i++) {
                List<InetSocketAddress> s = seedsOfEach.get(i);
                joins.add(cluster.call(nodes.get(next + i), dht -> dht.bootstrap(s)));
            }
            boolean finished = cluster.await(allSettled(joins), left);
            for (int i = 0; i < wave; i++) {
                CompletableFuture<Integer> join = joins.get(i);
                if (join.isDone() && !join.isCompletedExceptionally()) {
                    members.add(nodes.get(next + i));
                    if (canSeed.test(nodes.get(next + i))) {
                        seeds.add(nodes.get(next + i));
                    }
                }
            }
            next += wave;
            if (!finished) {
                timedOut = true;
                break;
            }
        }
        return new Built(n, members.size(), timedOut);
    }

    /** Bootstraps a newcomer from two random other live nodes (a node joining under churn). */
    public static CompletableFuture<Integer> join(Cluster cluster, SimNode newcomer, RandomGenerator random) {
        List<SimNode> nodes = cluster.nodes();
        List<InetSocketAddress> seeds = new ArrayList<>();
        for (int i = 0; i < SEEDS; i++) {
            SimNode seed = nodes.get(random.nextInt(nodes.size()));
            if (seed != newcomer) {
                seeds.add(seed.address());
            }
        }
        return cluster.call(newcomer, dht -> dht.bootstrap(seeds));
    }

    private static List<InetSocketAddress> seedsFrom(List<SimNode> members, RandomGenerator random) {
        if (members.size() <= SEEDS) {
            return members.stream().map(SimNode::address).toList();
        }
        List<InetSocketAddress> seeds = new ArrayList<>(SEEDS);
        while (seeds.size() < SEEDS) {
            InetSocketAddress a = members.get(random.nextInt(members.size())).address();
            if (!seeds.contains(a)) {
                seeds.add(a);
            }
        }
        return seeds;
    }

    /** Completes when all have, successfully or not. */
    private static CompletableFuture<Void> allSettled(List<CompletableFuture<Integer>> futures) {
        return CompletableFuture.allOf(futures.stream().map(f -> f.handle((v, e) -> null))
                .toArray(CompletableFuture<?>[]::new));
    }
}
