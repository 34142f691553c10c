package dev.kadshare.node;

import dev.kadshare.node.datadir.DataDir;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * How to run a node: its data dir, the address its DHT (UDP) and transfer server (TCP) bind (one port number
 * for both; 0 picks a free one), and the seeds to bootstrap from (none starts a new network).
 */
public record NodeConfig(DataDir dataDir, InetSocketAddress bind, List<InetSocketAddress> bootstrap) {
    public static final int DEFAULT_PORT = 7700;

    public NodeConfig {
        bootstrap = List.copyOf(bootstrap);
    }
}
