package dev.kadshare.simulation.virtual;

import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.DhtOperations;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.identity.IdBinding;
import dev.kadshare.dht.node.DatagramTransport;
import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.dht.node.Scheduler;
import dev.kadshare.simulation.cluster.Cluster;
import dev.kadshare.simulation.cluster.SimNode;
import dev.kadshare.simulation.nat.NatKind;
import dev.kadshare.simulation.nat.NatShares;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import dev.kadshare.dht.wire.Envelope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** DHT nodes on a {@link VirtualNetwork}, all driven from the caller's thread in virtual time. */
public final class VirtualCluster implements Cluster {
    private final VirtualClock clock = new VirtualClock();
    /** The port a dial leaves from when it is not a punch: any but the listening one. */
    private static final int EPHEMERAL_PORT = 40_000;
    private final Scheduler timers = (delay, task) -> clock.schedule(delay, task)::cancel;
    private final VirtualNetwork network;
    private final SplittableRandom random;
    private final double medianLatencyMillis;
    /** Live nodes; removal swaps in the last one, so order depends only on the run's history. */
    private final List<SimNode> live = new ArrayList<>();
    private final Map<Integer, Integer> positionOf = new HashMap<>();
    private final NatShares nats;
    /** By host index. */
    private final List<NatKind> kinds = new ArrayList<>();
    private int lookupPaths = DhtConfig.DEFAULT_LOOKUP_PATHS;
    private IdBinding idBinding = IdBinding.ENFORCED;
    /**
     * Session keys a node keeps: few, as 100,000 nodes keep them in one heap; a miss is a look-up in
     * {@link #sessionKeys}, not an X25519.
     */
    private static final int SESSION_SLOTS = 4;
    private final PairwiseSessionKeys sessionKeys = new PairwiseSessionKeys();
    /** By host index: the DHT key of the node there, for the session key a datagram's receiver will derive. */
    private final Map<Integer, DhtKey> keys = new HashMap<>();

    /** {@code loss} is the probability that a datagram is lost. */
    public VirtualCluster(long seed, double medianLatencyMillis, double latencySigma, double loss) {
        this(seed, medianLatencyMillis, latencySigma, loss, NatShares.NONE);
    }

    /**
     * With hosts behind NATs in the shares given; the first host is always open (the network's first node is the
     * public node everyone bootstraps from at first).
     */
    public VirtualCluster(long seed, double medianLatencyMillis, double latencySigma, double loss, NatShares nats) {
        this.nats = nats;
        this.random = new SplittableRandom(seed);
        this.medianLatencyMillis = medianLatencyMillis;
        this.network = new VirtualNetwork(clock, new LatencyModel(medianLatencyMillis, latencySigma, random.nextLong()),
                loss, random.split());
        network.onDepartures(this::prefetchSession);
    }

    /** Has the nodes started from now on run their lookups over {@code paths} disjoint paths (DhtConfig's default: 3). */
    public VirtualCluster lookupPaths(int paths) {
        if (paths < 1) {
            throw new IllegalArgumentException("a lookup needs at least one path");
        }
        this.lookupPaths = paths;
        return this;
    }

    /** Has the nodes started from now on hold others to the id rule or not (enforced by default, as real nodes do). */
    public VirtualCluster idBinding(IdBinding binding) {
        this.idBinding = binding;
        return this;
    }

    /** A node with a fresh key on {@code host} at {@code address}: its id the one they give, or {@code placed}. */
    private DhtConfig config(int host, InetSocketAddress address, Optional<NodeId> placed, SplittableRandom nodeRandom) {
        DhtKey key = DhtKey.generate(nodeRandom);
        keys.put(host, key);
        DhtConfig.Builder builder = DhtConfig.builder(key, address.getAddress())
                .lookupPaths(lookupPaths).idBinding(idBinding).sessions(sessionKeys, SESSION_SLOTS);
        placed.ifPresent(builder::id);
        return builder.build();
    }

    /** A datagram of ours leaves for {@code toHost}: its receiver will derive the session key with its sender. */
    private void prefetchSession(int toHost, byte[] datagram) {
        DhtKey receiver = keys.get(toHost);
        if (receiver != null && datagram.length > Envelope.REQUEST_OVERHEAD && datagram[0] == Envelope.VERSION) {
            sessionKeys.prefetch(receiver, Arrays.copyOfRange(datagram, 2, 2 + Envelope.KEY_BYTES));
        }
    }

    /** Starts a node with a fresh id on a fresh host; it still has to bootstrap. */
    @Override
    public SimNode start() {
        SplittableRandom nodeRandom = random.split();
        NatKind kind = kinds.isEmpty() ? NatKind.OPEN : nats.draw(nodeRandom);
        int host = network.newHost(kind);
        kinds.add(kind);
        InetSocketAddress bound = network.boundAddressOf(host);
        DhtNode dht = new DhtNode(config(host, bound, Optional.empty(), nodeRandom), bound, network.transportOf(host), timers,
                clock, nodeRandom);
        network.attach(host, dht);
        SimNode node = new SimNode(host, dht, VirtualNetwork.addressOf(host));
        positionOf.put(host, live.size());
        live.add(node);
        return node;
    }

    /** Puts a receiver of its own between the network and a node's core: an adversary's behaviour. */
    @FunctionalInterface
    public interface Interceptor {
        VirtualNetwork.Receiver wrap(DhtNode core, DhtConfig config, InetSocketAddress address, DatagramTransport transport);
    }

    /**
     * Starts a node, with the id {@code placed} if given (ids free), whose every datagram goes through
     * {@code interceptor}'s receiver.
     */
    public SimNode start(Optional<NodeId> placed, Interceptor interceptor) {
        int host = network.newHost();
        SplittableRandom nodeRandom = random.split();
        InetSocketAddress address = VirtualNetwork.addressOf(host);
        DatagramTransport transport = network.transportOf(host);
        DhtConfig config = config(host, address, placed, nodeRandom);
        DhtNode dht = new DhtNode(config, address, transport, timers, clock, nodeRandom);
        network.attach(host, interceptor.wrap(dht, config, address, transport));
        SimNode node = new SimNode(host, dht, address);
        positionOf.put(host, live.size());
        live.add(node);
        return node;
    }

    /** The network itself, for what only an attacker does with it (spoofing) and what only a test counts. */
    public VirtualNetwork network() {
        return network;
    }

    /** The node leaves without a word: its state is gone and datagrams to it are lost. */
    public void stop(SimNode node) {
        Integer position = positionOf.remove(node.id());
        if (position == null) {
            return;
        }
        SimNode last = live.remove(live.size() - 1);
        if (last != node) {
            live.set(position, last);
            positionOf.put(last.id(), position);
        }
        network.detach(node.id());
        keys.remove(node.id());
        node.dht().close();
    }

    /** Whether {@code node} is open or behind which kind of NAT. */
    public NatKind natOf(SimNode node) {
        return kinds.get(node.id());
    }

    /** Whether a TCP connection from {@code from} (an ephemeral port) to {@code to} gets through the NATs. */
    public boolean connects(SimNode from, InetSocketAddress to) {
        return network.connects(from.id(), EPHEMERAL_PORT, to);
    }

    /** Whether a simultaneous open between the listening ports of {@code a} and {@code b} gets through the NATs. */
    public boolean punches(SimNode a, InetSocketAddress aTarget, SimNode b, InetSocketAddress bTarget) {
        return network.punches(a.id(), aTarget, b.id(), bTarget);
    }

    /** Datagrams and connection attempts that routers dropped as unasked. */
    public long droppedAtNat() {
        return network.droppedAtNat();
    }

    public boolean isLive(SimNode node) {
        return positionOf.containsKey(node.id());
    }

    public VirtualClock virtualClock() {
        return clock;
    }

    public long deliveredDatagrams() {
        return network.deliveredDatagrams();
    }

    /** Datagrams delivered to {@code node} so far. */
    public int deliveredTo(SimNode node) {
        return network.deliveredTo(node.id());
    }

    /** A pair's latency is fixed and the same both ways, so the median round trip is twice the median one-way. */
    @Override
    public double medianRoundTripMillis() {
        return 2 * medianLatencyMillis;
    }

    @Override
    public String mode() {
        return "virtual";
    }

    @Override
    public List<SimNode> nodes() {
        return Collections.unmodifiableList(live);
    }

    @Override
    public InstantSource clock() {
        return clock;
    }

    @Override
    public <T> CompletableFuture<T> call(SimNode node, Function<DhtOperations, CompletableFuture<T>> operation) {
        return operation.apply(node.dht());
    }

    @Override
    public boolean await(CompletableFuture<?> future, Duration timeout) {
        clock.runUntil(future::isDone, timeout);
        return future.isDone() && !future.isCompletedExceptionally();
    }

    @Override
    public void close() {
        new ArrayList<>(live).forEach(this::stop);
        sessionKeys.close();
    }
}
