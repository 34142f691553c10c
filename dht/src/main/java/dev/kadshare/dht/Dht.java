package dev.kadshare.dht;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.LinkKey;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.rendezvous.Introduction;
import dev.kadshare.net.HostAddresses;
import dev.kadshare.net.Transport;
import dev.kadshare.dht.net.DatagramInbound;
import dev.kadshare.dht.net.EventLoopScheduler;
import dev.kadshare.dht.net.NettyDatagramTransport;
import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.dht.node.FamilyNodes;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.snapshot.RoutingSnapshot;
import dev.kadshare.dht.snapshot.RoutingSnapshotFile;
import dev.kadshare.dht.net.SnapshotWriter;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kademlia DHT node on a UDP socket; thread-safe. Every call is handed to the channel's event loop,
 * where all of the node's state lives; returned futures complete on that loop, so callers should move
 * blocking work off it (e.g. with the *Async stages). {@link #open} is the one way to put a node on a socket:
 * the daemon and the simulation's loopback mode both build theirs with it. Bound to the IPv6 wildcard {@code ::}, one
 * socket serves both families with a core (routing table, stores) for each, as BEP 32 has it; every operation then
 * runs in both and their answers are merged.
 */
public final class Dht implements DhtOperations {
    private static final Logger log = LoggerFactory.getLogger(Dht.class);

    private final Channel channel;
    private final EventLoop loop;
    /** One core per address family the socket serves, each with its own routing table (BEP 32). */
    private final FamilyNodes nodes;
    private final Optional<SnapshotWriter> snapshot;
    private final Optional<ScheduledFuture<?>> periodicSave;

    private Dht(Channel channel, FamilyNodes nodes, DhtConfig config) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.nodes = nodes;
        this.snapshot = config.snapshotFile().map(path -> new SnapshotWriter(new RoutingSnapshotFile(path), config.id()));
        long every = config.snapshotInterval().toMillis();
        this.periodicSave = snapshot.map(writer -> loop.scheduleAtFixedRate(
                () -> writer.save(contactsOnLoop()), every, every, TimeUnit.MILLISECONDS));
    }

    /** Binds UDP; throws java.net.BindException (or an IOException) if the port is taken. */
    public static Dht open(DhtConfig config, EventLoopGroup group) throws IOException {
        DatagramInbound inbound = new DatagramInbound();
        Bootstrap udp = new Bootstrap().group(group).channel(Transport.of(group).datagramChannel()).handler(inbound);
        if (config.receiveBufferBytes() > 0) {
            udp.option(ChannelOption.SO_RCVBUF, config.receiveBufferBytes());
        }
        ChannelFuture bound = udp.bind(config.bindAddress()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw Transport.bindFailure(config.bindAddress(), bound.cause());
        }
        Channel channel = bound.channel();
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        Set<InetAddress> interfaceIps = interfaceIps(local);
        Function<NodeId, DhtNode> core = id -> new DhtNode(config, id, local, interfaceIps,
                new NettyDatagramTransport(channel), new EventLoopScheduler(channel.eventLoop()), InstantSource.system(),
                new SecureRandom());
        // IPv4 socket: an IPv4 core; one IPv6 address: an IPv6 core; the IPv6 wildcard (dual stack): one of each.
        InetAddress bindIp = config.bindAddress().getAddress();
        boolean ipv6 = bindIp instanceof Inet6Address;
        boolean both = ipv6 && bindIp.isAnyLocalAddress();
        FamilyNodes nodes = new FamilyNodes(ipv6 && !both ? Optional.empty() : Optional.of(core.apply(config.id())),
                ipv6 ? Optional.of(core.apply(both ? config.ipv6Id() : config.id())) : Optional.empty());
        inbound.attach(nodes);
        Dht dht = new Dht(channel, nodes, config);
        dht.rejoinFromSnapshot(config.id());
        return dht;
    }

    /** The host's addresses a wildcard bind listens on (none needed for a bind to one address). */
    private static Set<InetAddress> interfaceIps(InetSocketAddress local) throws SocketException {
        return local.getAddress().isAnyLocalAddress() ? Set.copyOf(HostAddresses.read()) : Set.of();
    }

    /** Pings the contacts a previous run saved, so a restarted node rejoins with no seeds; logs the outcome. */
    private void rejoinFromSnapshot(NodeId id) {
        Optional<RoutingSnapshot> saved = snapshot.flatMap(writer -> writer.file().load());
        if (saved.isEmpty() || saved.get().contacts().isEmpty()) {
            return;
        }
        if (!saved.get().id().equals(id)) {
            log.info("routing snapshot was saved by node {}, now {}; using its contacts anyway", saved.get().id(), id);
        }
        List<Contact> contacts = saved.get().contacts();
        Map<DhtNode, List<Contact>> byFamily = new LinkedHashMap<>();
        for (Contact c : contacts) {
            byFamily.computeIfAbsent(familyOf(c.address()), n -> new ArrayList<>()).add(c);
        }
        onEach(List.copyOf(byFamily.keySet()), n -> n.rejoin(byFamily.get(n))).thenApply(Dht::sum).whenComplete((size, e) -> {
            if (e == null) {
                log.info("rejoined from {} saved contacts; routing table has {}", contacts.size(), size);
            } else {
                log.info("none of {} saved contacts answered yet; retrying in the background", contacts.size());
            }
        });
    }

    @Override
    public NodeId id() {
        return primary().id();
    }

    @Override
    public InetSocketAddress localAddress() {
        return primary().localAddress();
    }

    /**
     * Pings the seeds, then looks up our own id; completes with the routing-table size; completes
     * exceptionally if no seed answered. While the table is empty the seeds are retried every 5 s. On a dual-stack
     * socket each seed joins the table of its family; a family given no seed is left alone.
     */
    @Override
    public CompletableFuture<Integer> bootstrap(Collection<InetSocketAddress> seeds) {
        Map<DhtNode, List<InetSocketAddress>> byFamily = new LinkedHashMap<>();
        for (InetSocketAddress seed : seeds) {
            byFamily.computeIfAbsent(familyOf(seed), n -> new ArrayList<>()).add(FamilyNodes.plain(seed));
        }
        if (byFamily.isEmpty()) {
            byFamily.put(primary(), List.of());
        }
        return onEach(List.copyOf(byFamily.keySet()), n -> n.bootstrap(byFamily.get(n))).thenApply(Dht::sum);
    }

    /**
     * Pings a neighbour found on the LAN in its family's core, like a seed; it is retried apart from the seeds, so
     * that neighbours never push a seed out of the retries ({@code DhtNode.bootstrapFromNeighbour}).
     */
    public CompletableFuture<Integer> bootstrapFromNeighbour(InetSocketAddress neighbour) {
        return onEach(List.of(familyOf(neighbour)), n -> n.bootstrapFromNeighbour(FamilyNodes.plain(neighbour)))
                .thenApply(Dht::sum);
    }

    /** Lookup of key, then ANNOUNCE_PEER to the closest nodes of every family; completes with how many remote nodes accepted. */
    @Override
    public CompletableFuture<Integer> announce(NodeId key, int port) {
        return onEach(n -> n.announce(key, port)).thenApply(Dht::sum);
    }

    /** GET_PEERS lookup in every family; completes with the peers found (possibly empty), our own store included. */
    @Override
    public CompletableFuture<Set<InetSocketAddress>> findPeers(NodeId key) {
        return lookupPeers(key).thenApply(LookupResult::peers);
    }

    /**
     * Takes back our announcement under {@code key} from the nodes that store it, and stops renewing it and
     * our records there (records expire within the TTL); completes with how many remote nodes dropped it.
     */
    @Override
    public CompletableFuture<Integer> withdraw(NodeId key) {
        return onEach(n -> n.withdraw(key)).thenApply(Dht::sum);
    }

    /** Like {@link #findPeers}, with the lookup's hop and RPC counts (the deepest family's hops, every family's RPCs). */
    @Override
    public CompletableFuture<LookupResult> lookupPeers(NodeId key) {
        return onEach(n -> n.lookupPeers(key)).thenApply(results -> {
            Set<InetSocketAddress> peers = new LinkedHashSet<>();
            results.forEach(r -> peers.addAll(r.peers()));
            // each family's peers are its own addresses: their keys never collide
            Map<InetSocketAddress, LinkKey> keys = new HashMap<>();
            results.forEach(r -> keys.putAll(r.linkKeys()));
            return new LookupResult(peers, keys, results.stream().mapToInt(LookupResult::hops).max().orElse(0),
                    results.stream().mapToInt(LookupResult::rpcs).sum());
        });
    }

    /**
     * Stores a small record (1 to 1,024 bytes) under {@code key} at the k closest nodes of every family, renewed until
     * close; completes with how many remote nodes accepted it.
     */
    @Override
    public CompletableFuture<Integer> put(NodeId key, byte[] value) {
        byte[] copy = value.clone();
        return onEach(n -> n.put(key, copy)).thenApply(Dht::sum);
    }

    /** Our one record under {@code key} and {@code salt} in every family, replacing the one before; see {@link DhtOperations}. */
    @Override
    public CompletableFuture<Integer> put(NodeId key, byte[] salt, byte[] value) {
        byte[] saltCopy = salt.clone();
        byte[] copy = value.clone();
        return onEach(n -> n.put(key, saltCopy, copy)).thenApply(Dht::sum);
    }

    /** GET_RECORDS lookup in every family; completes with the distinct signed records found, our own store included. */
    @Override
    public CompletableFuture<List<RecordValue>> getRecords(NodeId key) {
        return onEach(n -> n.getRecords(key)).thenApply(results -> List.copyOf(
                results.stream().flatMap(List::stream).collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new))));
    }

    /** GET_RECORDS lookup in every family; completes with the distinct values found (possibly none), our own store included. */
    @Override
    public CompletableFuture<List<byte[]>> get(NodeId key) {
        return onEach(n -> n.get(key)).thenApply(results -> {
            Map<ByteBuffer, byte[]> distinct = new LinkedHashMap<>();
            results.forEach(values -> values.forEach(v -> distinct.putIfAbsent(ByteBuffer.wrap(v), v)));
            return List.copyOf(distinct.values());
        });
    }

    /** {@code listener} hears of every lookup this node finishes from now on, on the node's loop (so it must not block). */
    public void addLookupListener(LookupListener listener) {
        nodes.all().forEach(n -> n.addLookupListener(listener));
    }

    /**
     * Snapshot of routing-table size and counters, safe from any thread; on a dual-stack socket the sums of both
     * families, with {@code routing.size.ipv4} and {@code routing.size.ipv6} besides.
     */
    @Override
    public CompletableFuture<List<InetSocketAddress>> requestIntroduction(NodeId key, InetSocketAddress peer, int port) {
        return onLoop(() -> familyOf(peer).requestIntroduction(key, peer, port));
    }

    @Override
    public void onIntroduction(Consumer<Introduction> listener) {
        onLoop(() -> {
            nodes.all().forEach(n -> n.onIntroduction(listener));
            return CompletableFuture.completedFuture(null);
        }).join();
    }

    @Override
    public DhtStatus status() {
        if (nodes.all().size() == 1) {
            return primary().status();
        }
        Map<String, Long> counters = new TreeMap<>();
        int size = 0;
        for (DhtNode n : nodes.all()) {
            DhtStatus s = n.status();
            size += s.routingTableSize();
            s.counters().forEach((name, value) -> counters.merge(name, value, Long::sum));
        }
        nodes.ipv4().ifPresent(n -> counters.put("routing.size.ipv4", (long) n.status().routingTableSize()));
        nodes.ipv6().ifPresent(n -> counters.put("routing.size.ipv6", (long) n.status().routingTableSize()));
        // How others see us: the primary family's view (IPv4 on a dual-stack node), as status shows one.
        return new DhtStatus(size, counters, primary().status().reachability());
    }

    /** Saves the snapshot (if configured and the table is not empty), closes the channel; does not shut down the group. */
    @Override
    public void close() {
        periodicSave.ifPresent(f -> f.cancel(false));
        CompletableFuture<List<Contact>> contacts;
        if (loop.isShuttingDown() || loop.inEventLoop()) {
            contacts = CompletableFuture.completedFuture(allContacts());
            nodes.all().forEach(DhtNode::close); // the loop will not run tasks any more; nothing else touches them now
        } else {
            contacts = new CompletableFuture<>();
            CompletableFuture<List<Contact>> target = contacts;
            loop.execute(() -> {
                target.complete(allContacts());
                nodes.all().forEach(DhtNode::close);
            });
        }
        snapshot.ifPresent(writer -> {
            try {
                writer.save(contacts).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("routing snapshot not saved at close: {}", e.toString());
            }
            writer.close();
        });
        channel.close().awaitUninterruptibly();
    }

    private CompletableFuture<List<Contact>> contactsOnLoop() {
        return onLoop(() -> CompletableFuture.completedFuture(allContacts()));
    }

    /** Every family's contacts, for the snapshot: one file holds both, and a rejoin sorts them out again. */
    private List<Contact> allContacts() {
        return nodes.all().stream().flatMap(n -> n.contacts().stream()).toList();
    }

    /** The IPv4 core if there is one, else the IPv6 one: what a single-family socket has, and the default. */
    private DhtNode primary() {
        return nodes.all().get(0);
    }

    private DhtNode familyOf(InetSocketAddress address) {
        return address.getAddress() == null ? primary()
                : nodes.of(FamilyNodes.plain(address).getAddress()).orElse(primary());
    }

    private static int sum(List<Integer> counts) {
        return counts.stream().mapToInt(Integer::intValue).sum();
    }

    private <T> CompletableFuture<List<T>> onEach(Function<DhtNode, CompletableFuture<T>> operation) {
        return onEach(nodes.all(), operation);
    }

    /**
     * Runs {@code operation} on each of {@code targets} on the loop; completes with the results of those that
     * succeeded, or, when none did, fails as the first one failed.
     */
    private <T> CompletableFuture<List<T>> onEach(List<DhtNode> targets, Function<DhtNode, CompletableFuture<T>> operation) {
        return onLoop(() -> {
            List<CompletableFuture<T>> calls = new ArrayList<>();
            for (DhtNode n : targets) {
                try {
                    calls.add(operation.apply(n));
                } catch (RuntimeException e) {
                    calls.add(CompletableFuture.failedFuture(e));
                }
            }
            return CompletableFuture.allOf(calls.stream().map(c -> c.handle((v, e) -> null))
                    .toArray(CompletableFuture<?>[]::new)).thenCompose(done -> {
                        List<T> ok = calls.stream().filter(c -> !c.isCompletedExceptionally()).map(CompletableFuture::join)
                                .toList();
                        return ok.isEmpty() ? calls.get(0).thenApply(List::of) : CompletableFuture.completedFuture(ok);
                    });
        });
    }

    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    operation.get().whenComplete((value, failure) -> {
                        if (failure == null) {
                            result.complete(value);
                        } else {
                            // Dependent stages wrap the real cause; callers want the cause itself.
                            result.completeExceptionally(failure instanceof CompletionException c && c.getCause() != null
                                    ? c.getCause() : failure);
                        }
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) {
            result.completeExceptionally(rejected);
        }
        return result;
    }
}
