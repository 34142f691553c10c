package dev.kadshare.simulation.loopback;

import dev.kadshare.dht.Dht;
import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.DhtOperations;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.net.Transport;
import dev.kadshare.simulation.cluster.Cluster;
import dev.kadshare.simulation.cluster.SimNode;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Real DHT nodes on real UDP sockets on 127.0.0.1, all sharing a few event loops, each opened with
 * {@link Dht#open} as the daemon opens its own; a seeded random source picks their ids. The DHT's per-IP
 * limits (contacts per bucket, datagram rate) exempt loopback addresses, so hundreds of nodes on one IP fill
 * each other's buckets.
 */
public final class LoopbackCluster implements Cluster {
    /** Hundreds of nodes answer one lookup at once: more than the system's default buffer holds. */
    private static final int RECEIVE_BUFFER = 1 << 20;

    private final EventLoopGroup group;
    private final List<SimNode> nodes = new ArrayList<>();
    private final SplittableRandom random;

    /** {@code seed} fixes the node ids; timing on real sockets is never deterministic. */
    public LoopbackCluster(int eventLoops, long seed) {
        this.random = new SplittableRandom(seed);
        this.group = Transport.preferred().newGroup(eventLoops);
    }

    /** Binds a new node to an ephemeral port on 127.0.0.1; it still has to bootstrap. */
    @Override
    public SimNode start() {
        DhtConfig config = DhtConfig.builder(DhtKey.generate(random), InetAddress.getLoopbackAddress())
                .bindAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .receiveBufferBytes(RECEIVE_BUFFER).build();
        Dht dht;
        try {
            dht = Dht.open(config, group);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback UDP port", e);
        }
        SimNode node = new SimNode(nodes.size(), dht, dht.localAddress());
        nodes.add(node);
        return node;
    }

    @Override
    public String mode() {
        return "loopback";
    }

    @Override
    public List<SimNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    @Override
    public InstantSource clock() {
        return InstantSource.system();
    }

    /** {@link Dht} hands every call to its node's event loop itself. */
    @Override
    public <T> CompletableFuture<T> call(SimNode node, Function<DhtOperations, CompletableFuture<T>> operation) {
        return operation.apply(node.dht());
    }

    @Override
    public boolean await(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        nodes.forEach(node -> node.dht().close());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
