package dev.kadshare.dht;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.rendezvous.Introduction;
import dev.kadshare.net.Transport;
import dev.kadshare.dht.net.DatagramInbound;
import dev.kadshare.dht.net.EventLoopScheduler;
import dev.kadshare.dht.net.NettyDatagramTransport;
import dev.kadshare.dht.node.DhtNode;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kademlia DHT node on a UDP socket; thread-safe. Every call is handed to the channel's event loop,
 * where all of the node's state lives; returned futures complete on that loop, so callers should move
 * blocking work off it (e.g. with the *Async stages). {@link #open} is the one way to put a node on a socket:
 * the daemon and the simulation's loopback mode both build theirs with it.
 */
public final class Dht implements DhtOperations {
    private static final Logger log = LoggerFactory.getLogger(Dht.class);

    private final Channel channel;
    private final EventLoop loop;
    private final DhtNode node;
    private final Optional<SnapshotWriter> snapshot;
    private final Optional<ScheduledFuture<?>> periodicSave;

    private Dht(Channel channel, DhtNode node, DhtConfig config) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.node = node;
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
        DhtNode node = new DhtNode(config, local, interfaceIps(local),
                new NettyDatagramTransport(channel), new EventLoopScheduler(channel.eventLoop()), InstantSource.system(),
                new SecureRandom());
        inbound.attach(node);
        Dht dht = new Dht(channel, node, config);
        dht.rejoinFromSnapshot(config.id());
        return dht;
    }

    /** The host's addresses a wildcard bind listens on (none needed for a bind to one address). */
    private static Set<InetAddress> interfaceIps(InetSocketAddress local) throws SocketException {
        if (!local.getAddress().isAnyLocalAddress()) {
            return Set.of();
        }
        Set<InetAddress> ips = new HashSet<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            ips.addAll(Collections.list(nic.getInetAddresses()));
        }
        return ips;
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
        onLoop(() -> node.rejoin(contacts)).whenComplete((size, e) -> {
            if (e == null) {
                log.info("rejoined from {} saved contacts; routing table has {}", contacts.size(), size);
            } else {
                log.info("none of {} saved contacts answered yet; retrying in the background", contacts.size());
            }
        });
    }

    @Override
    public NodeId id() {
        return node.id();
    }

    @Override
    public InetSocketAddress localAddress() {
        return node.localAddress();
    }

    /**
     * Pings the seeds, then looks up our own id; completes with the routing-table size; completes
     * exceptionally if no seed answered. While the table is empty the seeds are retried every 5 s.
     */
    @Override
    public CompletableFuture<Integer> bootstrap(Collection<InetSocketAddress> seeds) {
        List<InetSocketAddress> copy = List.copyOf(seeds);
        return onLoop(() -> node.bootstrap(copy));
    }

    /** Lookup of key, then ANNOUNCE_PEER to the closest nodes; completes with how many remote nodes accepted. */
    @Override
    public CompletableFuture<Integer> announce(NodeId key, int port) {
        return onLoop(() -> node.announce(key, port));
    }

    /** GET_PEERS lookup; completes with the peers found (possibly empty), our own store included. */
    @Override
    public CompletableFuture<Set<InetSocketAddress>> findPeers(NodeId key) {
        return onLoop(() -> node.findPeers(key));
    }

    /**
     * Takes back our announcement under {@code key} from the nodes that store it, and stops renewing it and
     * our records there (records expire within the TTL); completes with how many remote nodes dropped it.
     */
    @Override
    public CompletableFuture<Integer> withdraw(NodeId key) {
        return onLoop(() -> node.withdraw(key));
    }

    /** Like {@link #findPeers}, with the lookup's hop and RPC counts. */
    @Override
    public CompletableFuture<LookupResult> lookupPeers(NodeId key) {
        return onLoop(() -> node.lookupPeers(key));
    }

    /**
     * Stores a small record (1 to 1,024 bytes) under {@code key} at the k closest nodes, renewed until
     * close; completes with how many remote nodes accepted it.
     */
    @Override
    public CompletableFuture<Integer> put(NodeId key, byte[] value) {
        byte[] copy = value.clone();
        return onLoop(() -> node.put(key, copy));
    }

    /** GET_RECORDS lookup; completes with the distinct values found (possibly none), our own store included. */
    @Override
    public CompletableFuture<List<byte[]>> get(NodeId key) {
        return onLoop(() -> node.get(key));
    }

    /** Snapshot of routing-table size and counters, safe from any thread. */
    @Override
    public CompletableFuture<Integer> requestIntroduction(NodeId key, InetSocketAddress peer, int port) {
        return onLoop(() -> node.requestIntroduction(key, peer, port));
    }

    @Override
    public void onIntroduction(Consumer<Introduction> listener) {
        onLoop(() -> {
            node.onIntroduction(listener);
            return CompletableFuture.completedFuture(null);
        }).join();
    }

    @Override
    public DhtStatus status() {
        return node.status();
    }

    /** Saves the snapshot (if configured and the table is not empty), closes the channel; does not shut down the group. */
    @Override
    public void close() {
        periodicSave.ifPresent(f -> f.cancel(false));
        CompletableFuture<List<Contact>> contacts;
        if (loop.isShuttingDown() || loop.inEventLoop()) {
            contacts = CompletableFuture.completedFuture(node.contacts());
            node.close(); // the loop will not run tasks any more; nothing else touches the node now
        } else {
            contacts = new CompletableFuture<>();
            CompletableFuture<List<Contact>> target = contacts;
            loop.execute(() -> {
                target.complete(node.contacts());
                node.close();
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
        return onLoop(() -> CompletableFuture.completedFuture(node.contacts()));
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
