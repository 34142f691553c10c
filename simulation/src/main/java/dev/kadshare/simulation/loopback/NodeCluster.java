package dev.kadshare.simulation.loopback;

import dev.kadshare.net.Transport;
import dev.kadshare.node.Node;
import dev.kadshare.node.NodeConfig;
import dev.kadshare.node.datadir.DataDir;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Whole kadshare {@link Node}s (DHT, transfer server, library, downloads) on 127.0.0.1 in one JVM, sharing a
 * few event loops; every node's data dir and files live under one temp dir, deleted on close.
 */
public final class NodeCluster implements AutoCloseable {
    private final EventLoopGroup group;
    private final Path root;
    private final List<Node> nodes = new ArrayList<>();

    public NodeCluster(int eventLoops) throws IOException {
        this.root = Files.createTempDirectory("kadshare-sim-");
        this.group = Transport.preferred().newGroup(eventLoops);
    }

    /** The temp dir everything of this cluster is written under. */
    public Path root() {
        return root;
    }

    /** Starts node {@code nodes().size()} on an ephemeral port, joining through {@code bootstrap} (none: alone). */
    public Node start(List<InetSocketAddress> bootstrap, NodeConfig.RateLimits limits) throws IOException {
        Path dataDir = root.resolve("node-" + nodes.size());
        Node node = Node.start(new NodeConfig(new DataDir(dataDir),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), bootstrap, limits), group);
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
        deleteTree(root);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            // Children before parents.
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
