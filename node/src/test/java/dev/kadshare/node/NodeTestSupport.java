package dev.kadshare.node;

import dev.kadshare.node.datadir.DataDir;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** Builds loopback nodes the way the daemon would. */
public final class NodeTestSupport {
    private NodeTestSupport() {}

    public static Node loopbackNode(Path dataDir, List<InetSocketAddress> bootstrap) throws IOException {
        return Node.start(new NodeConfig(new DataDir(dataDir), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                bootstrap, NodeConfig.RateLimits.UNLIMITED));
    }
}
