package dev.kadshare.node.cluster;

import dev.kadshare.net.Transport;
import dev.kadshare.node.Node;
import dev.kadshare.node.NodeConfig;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.testkit.TempTree;
import dev.kadshare.transfer.ConnectionLimits;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole kadshare {@link Node}s (DHT, transfer server, library, downloads), each started as the daemon starts
 * one, on 127.0.0.1 in this process and sharing a few event loops; every node's data dir, and whatever else the
 * caller writes under {@link #root()}, lives in one temp dir, deleted on close. The demo and the simulation's
 * loopback swarm run on it.
 */
public final class NodeCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeCluster.class);

    /**
     * Every node of a cluster connects from 127.0.0.1, so the cap per IP address is the cap in total here: said
     * explicitly, as loopback gets no exemption from the cap a daemon holds strangers to.
     */
    public static final ConnectionLimits CLUSTER_CONNECTIONS = ConnectionLimits.defaults()
            .withMaxConnectionsPerIp(ConnectionLimits.defaults().maxConnections());

    private final TempTree tree;
    private final EventLoopGroup group;
    private final List<Node> nodes = new ArrayList<>();

    public NodeCluster(int eventLoops) throws IOException {
        this.tree = TempTree.create("kadshare-cluster-");
        this.group = Transport.preferred().newGroup(eventLoops);
    }

    /** The temp dir everything of this cluster is written under. */
    public Path root() {
        return tree.root();
    }

    /** Starts node {@code nodes().size()} on an ephemeral port, joining through {@code bootstrap} (none: alone). */
    public Node start(List<InetSocketAddress> bootstrap, NodeConfig.RateLimits limits) throws IOException {
        Path dataDir = root().resolve("node-" + nodes.size());
        Node node = Node.start(new NodeConfig(new DataDir(dataDir),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), bootstrap, limits, CLUSTER_CONNECTIONS), group);
        nodes.add(node);
        return node;
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    @Override
    public void close() {
        nodes.forEach(Node::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        try {
            tree.close();
        } catch (IOException e) {
            // A temp dir left behind is not worth failing a finished run over.
            log.warn("could not delete {}: {}", root(), e.toString());
        }
    }
}
