package dev.kadshare.dht;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.net.DatagramInbound;
import dev.kadshare.dht.net.EventLoopScheduler;
import dev.kadshare.dht.net.NettyDatagramTransport;
import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.dht.node.NodeConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A Kademlia DHT node on a UDP socket; thread-safe. Every call is handed to the channel's event loop,
 * where all of the node's state lives; returned futures complete on that loop, so callers should move
 * blocking work off it (e.g. with the *Async stages).
 */
public final class Dht implements AutoCloseable {
    private final Channel channel;
    private final EventLoop loop;
    private final DhtNode node;

    private Dht(Channel channel, DhtNode node) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.node = node;
    }

    /** Binds UDP; throws java.net.BindException (or an IOException) if the port is taken. */
    public static Dht open(DhtConfig config, EventLoopGroup group) throws IOException {
        DatagramInbound inbound = new DatagramInbound();
        ChannelFuture bound = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(inbound)
                .bind(config.bindAddress()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw cause instanceof IOException io ? io : new IOException("cannot bind " + config.bindAddress(), cause);
        }
        Channel channel = bound.channel();
        DhtNode node = new DhtNode(NodeConfig.of(config.id(), config.k(), config.alpha(), config.rpcTimeout()),
                (InetSocketAddress) channel.localAddress(), new NettyDatagramTransport(channel),
                new EventLoopScheduler(channel.eventLoop()), InstantSource.system(), new SecureRandom());
        inbound.attach(node);
        return new Dht(channel, node);
    }

    public NodeId id() {
        return node.id();
    }

    public InetSocketAddress localAddress() {
        return node.localAddress();
    }

    /**
     * Pings the seeds, then looks up our own id; completes with the routing-table size; completes
     * exceptionally if no seed answered. While the table is empty the seeds are retried every 5 s.
     */
    public CompletableFuture<Integer> bootstrap(Collection<InetSocketAddress> seeds) {
        List<InetSocketAddress> copy = List.copyOf(seeds);
        return onLoop(() -> node.bootstrap(copy));
    }

    /** Lookup of key, then ANNOUNCE_PEER to the closest nodes; completes with how many remote nodes accepted. */
    public CompletableFuture<Integer> announce(NodeId key, int port) {
        return onLoop(() -> node.announce(key, port));
    }

    /** GET_PEERS lookup; completes with the peers found (possibly empty), our own store included. */
    public CompletableFuture<Set<InetSocketAddress>> findPeers(NodeId key) {
        return onLoop(() -> node.findPeers(key));
    }

    /** Snapshot of routing-table size and counters, safe from any thread. */
    public DhtStatus status() {
        return node.status();
    }

    /** Closes the channel; does not shut down the group. */
    @Override
    public void close() {
        if (loop.isShuttingDown()) {
            node.close(); // the loop will not run tasks any more; nothing else touches the node now
        } else {
            loop.execute(node::close);
        }
        channel.close().awaitUninterruptibly();
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
