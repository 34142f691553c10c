package dev.kadshare.node;

import dev.kadshare.node.datadir.DataDir;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Builds loopback nodes and test files the way the daemon would. */
public final class NodeTestSupport {
    private NodeTestSupport() {}

    public static Node loopbackNode(Path dataDir, List<InetSocketAddress> bootstrap) throws IOException {
        return Node.start(new NodeConfig(new DataDir(dataDir), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                bootstrap));
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    public static Path writeRandomFile(Path file, int size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, randomBytes(size, seed));
        return file;
    }
}
