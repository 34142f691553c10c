package dev.kadshare.dht.node;

import dev.kadshare.dht.id.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Many {@link DhtNode}s on a {@link MemoryNetwork} in virtual time, one thread, deterministic by seed:
 * nodes join through a random live node, leave by vanishing (as a crash would), and every wait is
 * bounded in tasks and virtual time.
 */
final class SimulatedDht {
    final SplittableRandom random;
    final VirtualTime time = new VirtualTime();
    final MemoryNetwork network;
    final List<DhtNode> alive = new ArrayList<>();
    private final UnaryOperator<NodeConfig> tuning;
    private int nextIp = 1;

    SimulatedDht(long seed, Duration latency, UnaryOperator<NodeConfig> tuning) {
        this.random = new SplittableRandom(seed);
        this.network = new MemoryNetwork(time, latency);
        this.tuning = tuning;
    }

    SimulatedDht(long seed) {
        this(seed, Duration.ofMillis(20), UnaryOperator.identity());
    }

    /** A new node on its own IP (tokens and per-IP limits are per IP, as on a real network), not yet joined. */
    DhtNode spawn() {
        return spawn(NodeId.random(random));
    }

    DhtNode spawn(NodeId id) {
        int i = nextIp++;
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}), 4000);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        DhtNode node = new DhtNode(tuning.apply(NodeConfig.defaults(id)), address,
                network.transportFor(address), time, time, random.split());
        network.attach(node);
        return node;
    }

    /** Spawns a node and bootstraps it through a random live node (the first one needs none). */
    DhtNode join() {
        return join(spawn());
    }

    /** Bootstraps a spawned node through a random live node and counts it as alive. */
    DhtNode join(DhtNode node) {
        if (!alive.isEmpty()) {
            DhtNode seed = alive.get(random.nextInt(alive.size()));
            await(node.bootstrap(List.of(seed.localAddress())));
        }
        alive.add(node);
        return node;
    }

    void grow(int count) {
        for (int i = 0; i < count; i++) {
            join();
        }
    }

    /** The node vanishes without a word, as on a crash or a lost connection. */
    void leave(DhtNode node) {
        alive.remove(node);
        network.detach(node);
        node.close();
    }

    /** A random live node that is not in {@code spared}; there must be one. */
    DhtNode randomAliveExcept(Collection<DhtNode> spared) {
        List<DhtNode> candidates = alive.stream().filter(n -> !spared.contains(n)).toList();
        return candidates.get(random.nextInt(candidates.size()));
    }

    DhtNode randomAlive() {
        return alive.get(random.nextInt(alive.size()));
    }

    <T> T await(CompletableFuture<T> future) {
        time.runUntil(future::isDone, 5_000_000, Duration.ofMinutes(10));
        return future.join();
    }

    /** Lets background work (refreshes, renewals, expiry) run for {@code span} of virtual time. */
    void runFor(Duration span) {
        time.runFor(span, 50_000_000);
    }

    long sum(String counter) {
        return alive.stream().mapToLong(n -> n.status().counter(counter)).sum();
    }
}
