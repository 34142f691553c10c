package dev.kadshare.simulation.scenario;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeConfig;
import dev.kadshare.node.cluster.NodeCluster;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.simulation.loopback.CpuLoad;
import dev.kadshare.simulation.loopback.FileDescriptors;
import dev.kadshare.simulation.report.CostMeter;
import dev.kadshare.simulation.report.KumarRoss;
import dev.kadshare.simulation.report.SwarmReport;
import dev.kadshare.testkit.RandomFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One seeder and N downloaders as whole kadshare nodes on 127.0.0.1, each with the upload and download limits
 * a daemon takes from {@code --max-upload-rate} and {@code --max-download-rate}. The seeder shares a random
 * file; every downloader fetches it knowing only the link, through the node's real path: DHT lookup, the
 * transfer swarm, chunk verification and the atomic rename. Completion is wall time from the moment the
 * downloads are started, set against the Kumar–Ross bound of the same capacities; every copy is checked
 * byte for byte against the seed.
 */
public final class LoopbackSwarmScenario {
    private static final Logger log = LoggerFactory.getLogger(LoopbackSwarmScenario.class);
    /** Joins started at once: a burst of bootstraps all at the seeder is what real networks avoid too. */
    private static final int JOIN_BATCH = 16;
    private static final String FILE_NAME = "swarm.bin";
    /** Over this share of the processors, the run measured the machine rather than the capacities. */
    private static final double CPU_BOUND = 0.75;

    private LoopbackSwarmScenario() {}

    public static SwarmReport run(LoopbackSwarmSettings settings) {
        CostMeter cost = CostMeter.start();
        SplittableRandom random = new SplittableRandom(settings.seed());
        warnIfShortOfFileDescriptors(settings.downloaders());
        double[] completion;
        try (NodeCluster cluster = new NodeCluster(settings.eventLoops())) {
            Node seeder = cluster.start(List.of(),
                    new NodeConfig.RateLimits(settings.seederUpload(), settings.download()));
            List<Node> downloaders = join(cluster, seeder, settings, random);
            Path seed = RandomFiles.write(cluster.root().resolve("seed").resolve(FILE_NAME), settings.fileBytes(),
                    random.nextLong());
            MagnetLink link = MagnetLink.parse(await(seeder.share(seed), settings.timeout(), "sharing the seed")
                    .link());
            cost.networkBuilt(settings.downloaders() + 1);
            List<Path> outDirs = new ArrayList<>();
            for (int i = 0; i < downloaders.size(); i++) {
                outDirs.add(cluster.root().resolve("out-" + (i + 1)));
            }
            completion = download(downloaders, link, outDirs, settings.timeout());
            for (int i = 0; i < outDirs.size(); i++) {
                verify(seed, outDirs.get(i).resolve(FILE_NAME), i + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = settings.downloaders();
        double bound = KumarRoss.boundSeconds(settings.fileBytes(), n, settings.seederUpload(),
                (double) n * settings.upload(), settings.download());
        return new SwarmReport("loopback", n, settings.seed(), settings.fileBytes(), completion, bound, cost.stop());
    }

    /**
     * Starts the downloaders {@link #JOIN_BATCH} at a time, each bootstrapping from the seeder and from a random
     * node of an earlier batch (which has joined), as nodes join a real network.
     */
    private static List<Node> join(NodeCluster cluster, Node seeder, LoopbackSwarmSettings settings,
                                   SplittableRandom random) throws IOException {
        NodeConfig.RateLimits limits = new NodeConfig.RateLimits(settings.upload(), settings.download());
        List<Node> joined = new ArrayList<>(List.of(seeder));
        while (joined.size() <= settings.downloaders()) {
            List<Node> batch = new ArrayList<>();
            for (int i = 0; i < JOIN_BATCH && joined.size() + batch.size() <= settings.downloaders(); i++) {
                InetSocketAddress other = joined.get(random.nextInt(joined.size())).address();
                List<InetSocketAddress> seeds = other.equals(seeder.address()) ? List.of(other)
                        : List.of(seeder.address(), other);
                batch.add(cluster.start(seeds, limits));
            }
            await(CompletableFuture.allOf(batch.stream().map(Node::bootstrapped).toArray(CompletableFuture[]::new)),
                    settings.timeout(), "joining");
            joined.addAll(batch);
        }
        return joined.subList(1, joined.size());
    }

    /** Starts every download at once; returns each one's completion, in seconds from that start. */
    private static double[] download(List<Node> downloaders, MagnetLink link, List<Path> outDirs, Duration timeout) {
        long[] doneAt = new long[downloaders.size()];
        CompletableFuture<?>[] done = new CompletableFuture<?>[downloaders.size()];
        CpuLoad cpu = CpuLoad.start();
        long start = System.nanoTime();
        for (int i = 0; i < done.length; i++) {
            int d = i;
            done[i] = downloaders.get(i).get(link, outDirs.get(i)).done()
                    .thenRun(() -> doneAt[d] = System.nanoTime());
        }
        try {
            await(CompletableFuture.allOf(done), timeout, "downloading");
        } catch (IllegalStateException e) {
            long finished = Arrays.stream(done).filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
            throw new IllegalStateException(finished + " of " + done.length + " downloads finished; " + e.getMessage(),
                    e.getCause());
        }
        double busy = cpu.busyShare();
        if (busy > CPU_BOUND) {
            log.warn("the downloads kept {} % of the processors busy: their times measure this machine, not only the "
                    + "capacities; try fewer --nodes or lower rates", Math.round(100 * busy));
        }
        // allOf's completion orders every doneAt write before this read.
        return Arrays.stream(doneAt).mapToDouble(t -> (t - start) / 1e9).toArray();
    }

    /**
     * A download dials every peer the DHT names, so each downloader ends up connected to every other node, and
     * both ends of each connection are in this process: about 2·N·(N+1) sockets.
     */
    private static void warnIfShortOfFileDescriptors(int downloaders) {
        long needed = 2L * downloaders * (downloaders + 1);
        OptionalLong limit = FileDescriptors.limit();
        if (limit.isPresent() && limit.getAsLong() < needed) {
            log.warn("{} downloaders may hold about {} sockets at once, and this process may open {} files: raise "
                    + "ulimit -n, or expect 'Too many open files' to slow the run", downloaders, needed,
                    limit.getAsLong());
        }
    }

    private static void verify(Path seed, Path copy, int downloader) throws IOException {
        long mismatch = Files.mismatch(seed, copy);
        if (mismatch != -1) {
            throw new IllegalStateException("downloader " + downloader + "'s copy differs from the seed at byte "
                    + mismatch);
        }
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " took longer than " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        }
    }
}
