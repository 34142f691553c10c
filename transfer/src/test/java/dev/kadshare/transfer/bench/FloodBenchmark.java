package dev.kadshare.transfer.bench;

import dev.kadshare.net.Transport;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.testkit.TempTree;
import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.ConnectionFlood;
import dev.kadshare.transfer.ConnectionLimits;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.netty.NettyDownload;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An honest get of a share (64 MiB by default) from one server on 127.0.0.1, timed alone and during a flood of
 * connection attempts from another address (one host holding every connection it starts, never waiting for an
 * answer), alternately; prints what a flood alone costs, each round, the medians and their ratio, flood over alone
 * (the target: at most 1.5). Every flood comes from an address of its own (127.0.2.x to warm up, 127.0.3.x
 * in round x), so each must earn its own ban at the listener during the measurement. Server, flood and downloader
 * share this JVM and the machine's cores: the flooder's own system calls and the kernel's work at both ends are
 * charged to the node here, more than an attacker elsewhere could make it pay.
 * Not a test. From the reactor
 * root: {@code mvn -B -q -pl transfer -am test-compile exec:exec@flood-bench}
 * ({@code -Dflood.mib}, {@code -Dflood.rounds}, {@code -Dflood.attempts}: flood attempts per round, default 10,000).
 */
public final class FloodBenchmark {
    private static final int MIB = 1 << 20;

    public static void main(String[] args) throws Exception {
        long mib = Long.getLong("flood.mib", 64);
        int rounds = Integer.getInteger("flood.rounds", 9);
        int attempts = Integer.getInteger("flood.attempts", 10_000);
        try (TempTree tree = TempTree.create("kadshare-flood-bench-")) {
            Path file = tree.root().resolve("share.bin");
            RandomFiles.write(file, mib * MIB, 7);
            Manifest manifest = Manifest.ofFile(file, "share.bin", Manifest.DEFAULT_CHUNK_SIZE);
            SharedContent shared = new SharedContent(manifest, file);
            EventLoopGroup group = Transport.preferred().newGroup(2);
            // The honest get hashes on a pool of two threads, as a node's downloads do.
            ExecutorService hashing = Executors.newFixedThreadPool(2);
            DownloadOptions options = DownloadOptions.builder().hashing(hashing).build();
            ConnectionDrops drops = new ConnectionDrops();
            try (TransferServer server = TransferServer.start(new InetSocketAddress("127.0.0.1", 0),
                    id -> id.equals(manifest.contentId()) ? Optional.of(shared) : Optional.empty(), group,
                    TransferLimits.defaults(), LinkSecurity.ephemeral(), ConnectionLimits.defaults(), drops)) {
                get(server, manifest, tree.root().resolve("warm"), group, options); // untimed: a warm JVM
                for (int warm = 1; warm <= 2; warm++) {
                    floodAlone(server, "127.0.2." + warm, attempts); // the first warms the refusing path
                }
                List<Double> alone = new ArrayList<>();
                List<Double> flooded = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    double quiet = get(server, manifest, tree.root().resolve("quiet-" + round), group, options);
                    alone.add(quiet);
                    double loud;
                    int made;
                    try (ConnectionFlood flood = new ConnectionFlood("127.0.3." + round, server.localAddress(),
                            attempts)) {
                        waitFor(() -> flood.attempts() >= 100);
                        loud = get(server, manifest, tree.root().resolve("flood-" + round), group, options);
                        made = flood.attempts();
                    }
                    flooded.add(loud);
                    System.out.printf("round %d: alone %.3f s, during the flood %.3f s (%d attempts so far, %d open"
                            + " at the end)%n", round, quiet, loud, made, server.openConnections());
                }
                double a = median(alone);
                double f = median(flooded);
                System.out.printf("%d MiB get, median of %d: alone %.3f s, during a flood %.3f s, ratio %.2f%n", mib,
                        rounds, a, f, f / a);
                System.out.println("refused per address: " + drops.count(ConnectionDrop.IP_CAP) + ", addresses banned: "
                        + drops.count(ConnectionDrop.FLOOD_BANNED) + ", no HELLO in time: "
                        + drops.count(ConnectionDrop.HELLO_TIMEOUT));
            } finally {
                hashing.shutdown();
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            }
        }
    }

    /**
     * Times {@code attempts} flood attempts with nothing else running and prints what they cost the whole process
     * (server and flooder: on loopback the kernel's work for both ends lands in this JVM's threads).
     */
    private static void floodAlone(TransferServer server, String source, int attempts) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try (ConnectionFlood flood = new ConnectionFlood(source, server.localAddress(), attempts)) {
            waitFor(flood::done);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("a flood alone: %d attempts in %.3f s, %.3f CPU-s (%.0f us an attempt, both ends)%n",
                attempts, seconds, cpu, cpu / attempts * 1e6);
    }

    /** Seconds to get {@code manifest}'s content from {@code server} into {@code out}. */
    private static double get(TransferServer server, Manifest manifest, Path out, EventLoopGroup group,
            DownloadOptions options)
            throws Exception {
        long t0 = System.nanoTime();
        Path result = NettyDownload.start(manifest.contentId(), List.of(server.localAddress()), out, group,
                options).completion().get(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (Files.size(result) != manifest.length()) {
            throw new IllegalStateException("downloaded file has the wrong size");
        }
        Files.delete(result);
        return seconds;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 10_000 && !condition.getAsBoolean(); i++) {
            TimeUnit.MILLISECONDS.sleep(1);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
