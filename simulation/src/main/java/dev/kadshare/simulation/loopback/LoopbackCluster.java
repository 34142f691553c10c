package dev.kadshare.simulation.loopback;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.net.DatagramInbound;
import dev.kadshare.dht.net.EventLoopScheduler;
import dev.kadshare.dht.net.NettyDatagramTransport;
import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.dht.node.NodeConfig;
import dev.kadshare.simulation.cluster.Cluster;
import dev.kadshare.simulation.cluster.SimNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Real DHT nodes on real UDP sockets on 127.0.0.1, all sharing a few event loops. Each node is wired from
 * the DHT's own Netty adapters as {@code Dht.open} wires it, but keeps its core reachable for the
 * scenarios and takes a seeded random source for its id. The DHT's per-IP limits (contacts per bucket,
 * datagram rate) exempt loopback addresses, so hundreds of nodes on one IP fill each other's buckets.
 */
public final class LoopbackCluster implements Cluster {
    private static final int RECEIVE_BUFFER = 1 << 20;

    private final EventLoopGroup group;
    private final List<SimNode> nodes = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();

    private final SplittableRandom random;

    /** {@code seed} fixes the node ids; timing on real sockets is never deterministic. */
    public LoopbackCluster(int eventLoops, long seed) {
        this.random = new SplittableRandom(seed);
        this.group = new MultiThreadIoEventLoopGroup(eventLoops, NioIoHandler.newFactory());
    }

    /** Binds a new node to an ephemeral port on 127.0.0.1; it still has to bootstrap. */
    @Override
    public SimNode start() {
        SplittableRandom nodeRandom = random.split();
        DatagramInbound inbound = new DatagramInbound();
        ChannelFuture bound = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER).handler(inbound)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new UncheckedIOException(new IOException("cannot bind a loopback UDP port", bound.cause()));
        }
        Channel channel = bound.channel();
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        DhtNode dht = new DhtNode(NodeConfig.defaults(NodeId.random(nodeRandom)), local,
                new NettyDatagramTransport(channel),
                new EventLoopScheduler(channel.eventLoop()), InstantSource.system(), nodeRandom);
        inbound.attach(dht);
        SimNode node = new SimNode(nodes.size(), dht, local, channel.eventLoop());
        nodes.add(node);
        channels.add(channel);
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

    @Override
    public <T> CompletableFuture<T> call(SimNode node, Function<DhtNode, CompletableFuture<T>> operation) {
        CompletableFuture<T> result = new CompletableFuture<>();
        node.thread().execute(() -> {
            try {
                operation.apply(node.dht()).whenComplete((value, failure) -> {
                    if (failure == null) {
                        result.complete(value);
                    } else {
                        result.completeExceptionally(failure);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
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
        for (int i = 0; i < nodes.size(); i++) {
            SimNode node = nodes.get(i);
            node.thread().execute(node.dht()::close);
            channels.get(i).close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
