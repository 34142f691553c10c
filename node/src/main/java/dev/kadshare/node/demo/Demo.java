package dev.kadshare.node.demo;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeConfig;
import dev.kadshare.node.ShareResult;
import dev.kadshare.node.cluster.NodeCluster;
import dev.kadshare.node.link.HostPort;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.transfers.PeerStatus;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.node.transfers.TransferStatus;
import dev.kadshare.testkit.RandomFiles;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
        try (NodeCluster cluster = new NodeCluster(2)) {
            out.printf("starting %d nodes on %s in %s%n", options.nodes(),
                    InetAddress.getLoopbackAddress().getHostAddress(), cluster.root());
            Node seedNode = cluster.start(List.of(), NodeConfig.RateLimits.UNLIMITED);
            for (int i = 1; i < options.nodes(); i++) {
                // Node 1 shares; its upload limit makes the downloaders fetch much of the file from each other.
                NodeConfig.RateLimits limits = i == 1
                        ? new NodeConfig.RateLimits(options.sharerUploadMiBps() * 1024L * 1024L, 0)
                        : NodeConfig.RateLimits.UNLIMITED;
                cluster.start(List.of(seedNode.address()), limits);
            }
            List<Node> nodes = cluster.nodes();
            CompletableFuture.allOf(nodes.stream().map(Node::bootstrapped).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
            int[] tables = nodes.stream().mapToInt(n -> n.status().routingTableSize()).toArray();
            out.printf("network joined: routing tables hold %d..%d contacts%n",
                    Arrays.stream(tables).min().orElse(0), Arrays.stream(tables).max().orElse(0));

            Node sharer = nodes.get(1);
            Path file = RandomFiles.write(cluster.root().resolve("demo-" + options.fileMiB() + "MiB.bin"),
                    options.fileMiB() * 1024L * 1024L, options.seed());
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
                transfers.add(d.get(link, cluster.root().resolve("out-" + shortId(d))));
            }
            out.printf("%d nodes download it at once, knowing only the link%n", downloaders.size());
            CompletableFuture.allOf(transfers.stream().map(Transfer::done).toArray(CompletableFuture[]::new))
                    .get(120, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;

            Map<String, String> names = new HashMap<>();
            nodes.forEach(n -> names.put(HostPort.format(n.address()), "node " + shortId(n)));
            boolean identical = true;
            List<TransferStatus> statuses = new ArrayList<>();
            for (int i = 0; i < transfers.size(); i++) {
                TransferStatus s = downloaders.get(i).transfer(link.contentId().toHex()).orElseThrow();
                statuses.add(s);
                boolean same = Files.mismatch(file, Path.of(s.path())) == -1;
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
}
