package dev.kadshare.transfer.bench;

import dev.kadshare.net.Transport;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.netty.NettyDownload;
import dev.kadshare.transfer.netty.SilentCrowd;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Not a test: how much longer an honest download from an initial seeder takes when 100 silent connections joined it
 * first (issue 14's target: at most 1.5 times). A {@code bench.mib} file (default 64) served at {@code bench.rateMib}
 * MiB/s (default 8, so the download is paced by the seeder's upload as on a real network, not by loopback), each
 * round downloaded once without and once with the crowd, from a fresh seeder each time, all on 127.0.0.1. Prints
 * the seconds of each and their ratio, then the median ratio.
 *
 * <p>{@code mvn -B -q -pl transfer -am test-compile exec:exec@silent-seeding-bench}
 */
public final class SilentSeedingBenchmark {
    private SilentSeedingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int mib = Integer.getInteger("bench.mib", 64);
        long rate = Long.getLong("bench.rateMib", 8) << 20;
        int rounds = Integer.getInteger("bench.rounds", 3);
        int silent = Integer.getInteger("bench.silent", 100);
        Path dir = Files.createTempDirectory("kadshare-silent-bench");
        EventLoopGroup group = Transport.preferred().newGroup(2);
        try {
            byte[] data = new byte[mib << 20];
            new Random(14).nextBytes(data);
            Path file = Files.write(dir.resolve("seeded.bin"), data);
            Manifest manifest = Manifest.ofFile(file, "seeded.bin");
            System.out.printf("%d MiB in %d chunks, seeder at %d MiB/s, %d silent connections%n", mib,
                    manifest.chunkCount(), rate >> 20, silent);
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                double alone = download(manifest, file, dir.resolve("alone" + r), group, rate, 0);
                double crowded = download(manifest, file, dir.resolve("crowded" + r), group, rate, silent);
                ratios[r] = crowded / alone;
                System.out.printf("round %d: alone %.2f s, with %d silent %.2f s, ratio %.2f%n", r + 1, alone, silent,
                        crowded, ratios[r]);
            }
            Arrays.sort(ratios);
            System.out.printf("median ratio %.2f%n", ratios[rounds / 2]);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Seconds an honest download takes from a fresh initial seeder that {@code silent} connections joined first. */
    private static double download(Manifest manifest, Path file, Path out, EventLoopGroup group, long rate, int silent)
            throws Exception {
        try (TransferServer seeder = TransferServer.start(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
                id -> id.equals(manifest.contentId()) ? Optional.of(new SharedContent(manifest, file)) : Optional.empty(),
                group, TransferLimits.defaults().withNodeUploadRate(rate))) {
            seeder.seedInitially(manifest.contentId()); // before anyone joins, as a node does when it shares
            try (SilentCrowd crowd = SilentCrowd.join(seeder.localAddress(), manifest.contentId(), silent)) {
                return timed(manifest, seeder.localAddress(), out, group);
            }
        }
    }

    private static double timed(Manifest manifest, InetSocketAddress seeder, Path out, EventLoopGroup group)
            throws Exception {
        {
            long start = System.nanoTime();
            NettyDownload download = NettyDownload.start(manifest.contentId(), List.of(seeder), out,
                    group, DownloadOptions.defaults());
            Path done = download.completion().get(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (Files.size(done) != manifest.length()) {
                throw new IOException("downloaded " + Files.size(done) + " bytes of " + manifest.length());
            }
            return seconds;
        }
    }
}
