package dev.kadshare.node;

import dev.kadshare.dht.Dht;
import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.node.datadir.DataDir;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Builds loopback nodes the way the daemon would, and bare loopback DHT nodes. */
public final class NodeTestSupport {
    private NodeTestSupport() {}

    public static Node loopbackNode(Path dataDir, List<InetSocketAddress> bootstrap) throws IOException {
        return Node.start(new NodeConfig(new DataDir(dataDir), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                bootstrap, NodeConfig.RateLimits.UNLIMITED));
    }

    /** A bare DHT node on loopback, on any free port, with a key made from {@code seed}. */
    public static Dht loopbackDht(long seed, EventLoopGroup group) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return Dht.open(DhtConfig.builder(DhtKey.generate(new SplittableRandom(seed)), loopback)
                .bindAddress(new InetSocketAddress(loopback, 0)).build(), group);
    }
}
