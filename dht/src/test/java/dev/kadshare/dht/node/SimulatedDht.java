package dev.kadshare.dht.node;

import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.identity.IdBinding;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Many {@link DhtNode}s on a {@link MemoryNetwork} in virtual time, one thread, deterministic by seed:
 * nodes join through a random live node, leave by vanishing (as a crash would), and every wait is
 * bounded in tasks and virtual time.
 */
final class SimulatedDht {
    final SplittableRandom random;
    final VirtualClock time = new VirtualClock();
    private final Scheduler timers = (delay, task) -> time.schedule(delay, task)::cancel;
    final MemoryNetwork network = new MemoryNetwork(time, Duration.ofMillis(20));
    final List<DhtNode> alive = new ArrayList<>();
    /** Each spawned node's DHT key, for tests that speak as a node. */
    final Map<DhtNode, DhtKey> keys = new IdentityHashMap<>();
    private int nextIp = 1;
    private IdBinding idBinding = IdBinding.ENFORCED;

    SimulatedDht(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Nodes spawned from now on check others' ids or not (to place ids by hand). */
    SimulatedDht idBinding(IdBinding binding) {
        this.idBinding = binding;
        return this;
    }

    /** A new node on its own IP (tokens and per-IP limits are per IP, as on a real network), not yet joined. */
    DhtNode spawn() {
        return spawn(Optional.empty());
    }

    /** A new node with the id {@code placed} instead of its own: its peers must not check ids. */
    DhtNode spawn(NodeId placed) {
        return spawn(Optional.of(placed));
    }

    private DhtNode spawn(Optional<NodeId> placed) {
        int i = nextIp++;
        InetSocketAddress address;
        try {
            // The low byte varies first in the second octet: every node in a /24 of its own, as on the internet.
            address = new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {10, (byte) i, (byte) (i >> 8), (byte) (i >> 16)}), 4000);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        DhtKey key = DhtKey.generate(random);
        DhtConfig.Builder config = DhtConfig.builder(key, address.getAddress()).idBinding(idBinding);
        placed.ifPresent(config::id);
        DhtNode node = new DhtNode(config.build(), address, network.transportFor(address), timers, time, random.split());
        keys.put(node, key);
        network.attach(node);
        return node;
    }

    /** A node at 192.168.1.10:4000 behind {@code nat}, not yet joined nor counted alive. */
    DhtNode behind(VirtualNat nat) {
        return behind(nat, Optional.empty());
    }

    /** A node behind {@code nat} that was told the {@code external} address others reach it at, if any. */
    DhtNode behind(VirtualNat nat, Optional<InetAddress> external) {
        InetSocketAddress inside;
        try {
            inside = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 1, 10}), 4000);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        DhtNode[] node = new DhtNode[1];
        DhtKey key = DhtKey.generate(random);
        DhtConfig.Builder config = DhtConfig.builder(key, external.orElse(inside.getAddress()))
                .idBinding(idBinding).externalAddresses(external.map(Set::of).orElse(Set.of()));
        node[0] = new DhtNode(config.build(), inside,
                nat.transportFor(inside, (from, datagram) -> node[0].onDatagram(from, datagram)), timers, time,
                random.split());
        keys.put(node[0], key);
        return node[0];
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
        if (!time.runUntil(future::isDone, Duration.ofMinutes(10), 5_000_000)) {
            throw new AssertionError("not done by " + time.instant());
        }
        return future.join();
    }

    /** Lets background work (refreshes, renewals, expiry) run for {@code span} of virtual time. */
    void runFor(Duration span) {
        if (!time.runFor(span, 50_000_000)) {
            throw new AssertionError("more than 50,000,000 events within " + span);
        }
    }

    long sum(String counter) {
        return alive.stream().mapToLong(n -> n.status().counter(counter)).sum();
    }
}
