package dev.kadshare.node.demo;

import dev.kadshare.net.Transport;
import dev.kadshare.node.Node;
import dev.kadshare.node.NodeConfig;
import dev.kadshare.node.ShareResult;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.link.HostPort;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.PeerStatus;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.node.transfers.TransferStatus;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code kadshare demo}: a small network on loopback inside one process. One node shares a generated file,
 * several others find it through the DHT and download it at the same time, and the outcome is printed.
 */
public final class Demo {
    /** How the demo is sized. */
    public record Options(int nodes, int downloaders, int fileMiB, long seed, int sharerUploadMiBps) {
        public Options {
            if (sharerUploadMiBps < 0) {
                throw new IllegalArgumentException("the sharer's upload rate must not be negative");
            }
            if (nodes < 3) {
                throw new IllegalArgumentException("the demo needs at least 3 nodes");
            }
            if (downloaders < 1 || downloaders > nodes - 2) {
                throw new IllegalArgumentException("downloaders must be 1.." + (nodes - 2) + " for " + nodes + " nodes");
            }
            if (fileMiB < 0) {
                throw new IllegalArgumentException("file size must not be negative");
            }
        }
    }

    /** What happened, for the printout and for tests. */
    public record Outcome(int nodes, String link, List<TransferStatus> downloads, boolean allIdentical, double seconds) {}

    private Demo() {}

    public static Outcome run(Options options, PrintStream out) throws Exception {
        Path root = Files.createTempDirectory("kadshare-demo-");
        EventLoopGroup group = Transport.preferred().newGroup(2);
        List<Node> nodes = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            out.printf("starting %d nodes on %s in %s%n", options.nodes(), loopback.getHostAddress(), root);
            Node seedNode = Node.start(new NodeConfig(new DataDir(root.resolve("node-0")),
                    new InetSocketAddress(loopback, 0), List.of()), group);
            nodes.add(seedNode);
            for (int i = 1; i < options.nodes(); i++) {
                // Node 1 shares; its upload limit makes the downloaders fetch much of the file from each other.
                NodeConfig.RateLimits limits = i == 1
                        ? new NodeConfig.RateLimits(options.sharerUploadMiBps() * 1024L * 1024L, 0)
                        : NodeConfig.RateLimits.UNLIMITED;
                nodes.add(Node.start(new NodeConfig(new DataDir(root.resolve("node-" + i)),
                        new InetSocketAddress(loopback, 0), List.of(seedNode.address()), limits), group));
            }
            CompletableFuture.allOf(nodes.stream().map(Node::bootstrapped).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
            int[] tables = nodes.stream().mapToInt(n -> n.status().routingTableSize()).toArray();
            out.printf("network joined: routing tables hold %d..%d contacts%n",
                    Arrays.stream(tables).min().orElse(0), Arrays.stream(tables).max().orElse(0));

            Node sharer = nodes.get(1);
            Path file = root.resolve("demo-" + options.fileMiB() + "MiB.bin");
            writeRandom(file, options.fileMiB() * 1024L * 1024L, options.seed());
            ShareResult shared = sharer.share(file).get(60, TimeUnit.SECONDS);
            out.printf("node %s shared %s (%d bytes), announced to %d nodes%n  %s%n",
                    shortId(sharer), shared.name(), shared.size(), shared.announcedTo(), shared.link());
            if (options.sharerUploadMiBps() > 0) {
                out.printf("its upload is limited to %d MiB/s, so the downloaders trade chunks among themselves%n",
                        options.sharerUploadMiBps());
            }

            MagnetLink link = MagnetLink.parse(shared.link());
            long start = System.nanoTime();
            List<Transfer> transfers = new ArrayList<>();
            List<Node> downloaders = nodes.subList(2, 2 + options.downloaders());
            for (Node d : downloaders) {
                transfers.add(d.get(link, root.resolve("out-" + shortId(d))));
            }
            out.printf("%d nodes download it at once, knowing only the link%n", downloaders.size());
            CompletableFuture.allOf(transfers.stream().map(Transfer::done).toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;

            Map<String, String> names = new HashMap<>();
            nodes.forEach(n -> names.put(HostPort.format(n.address()), "node " + shortId(n)));
            byte[] expected = sha256(file);
            boolean identical = true;
            List<TransferStatus> statuses = new ArrayList<>();
            for (int i = 0; i < transfers.size(); i++) {
                TransferStatus s = transfers.get(i).status();
                statuses.add(s);
                boolean same = Arrays.equals(expected, sha256(Path.of(s.path())));
                identical &= same;
                String lookup = s.lastLookup() == null ? "no lookup"
                        : String.format("lookup %d hops, %d RPCs", s.lastLookup().hops(), s.lastLookup().rpcs());
                out.printf("  node %s: %s; %s, %d/%d chunks verified, %s from %s%n", shortId(downloaders.get(i)),
                        same ? "identical" : "DIFFERENT", lookup, s.chunksVerified(), s.chunksTotal(),
                        mib(s.bytesDownloaded()), describePeers(s.peers(), names));
            }
            long total = statuses.stream().mapToLong(TransferStatus::bytesDownloaded).sum();
            out.printf("done in %.2f s: %s moved, %.1f MiB/s in all; every copy %s%n", seconds, mib(total),
                    total / seconds / (1024 * 1024), identical ? "verified identical" : "NOT identical");
            return new Outcome(nodes.size(), shared.link(), statuses, identical, seconds);
        } finally {
            nodes.forEach(Node::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            deleteTree(root);
        }
    }

    private static String describePeers(List<PeerStatus> peers, Map<String, String> names) {
        return peers.stream()
                .filter(p -> p.bytesDownloaded() > 0)
                .sorted(Comparator.comparingLong(PeerStatus::bytesDownloaded).reversed())
                .map(p -> names.getOrDefault(p.address(), p.address()) + " (" + mib(p.bytesDownloaded()) + ")")
                .reduce((a, b) -> a + ", " + b)
                .orElse("nobody");
    }

    private static String shortId(Node node) {
        return node.id().toHex().substring(0, 8);
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static void writeRandom(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 16];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, size - written));
            }
        }
    }

    private static byte[] sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Leaving a temp dir behind is not worth failing the demo over.
        }
    }
}
