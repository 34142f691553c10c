package dev.kadshare.transfer.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.netty.NettyDownload;
import dev.kadshare.transfer.download.DownloadOptions;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The downloading side of {@link TransferBenchmark}, in its own JVM so its peak RSS is its own. Prints
 * one line per timed round, "elapsedNanos vmHwmKb cpuMillis jitCpuMillis", and exits 0 on success.
 */
public final class BenchDownloader {
    /** The line this JVM prints just before the timed download starts. */
    static final String TIMED_START = "-- timed download starts";

    /** CPU time of this whole JVM so far: a figure that holds even when other work shares the cores. */
    private static long cpuMillis() throws java.io.IOException {
        String[] stat = Files.readString(Path.of("/proc/self/stat")).split("\\) ")[1].split(" ");
        return (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) * 10; // clock ticks of 10 ms
    }

    /** CPU milliseconds per thread name (digits dropped, so pools sum), user and system, from /proc/self/task. */
    private static java.util.Map<String, long[]> cpuByThread() throws java.io.IOException {
        java.util.Map<String, long[]> byName = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9#]", "");
                String[] f = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
                long[] sum = byName.computeIfAbsent(name, k -> new long[2]);
                sum[0] += Long.parseLong(f[11]) * 10;
                sum[1] += Long.parseLong(f[12]) * 10;
            }
        }
        return byName;
    }

    /** One timed download of {@code id}: prints {@link #TIMED_START}, then the result line; returns the file. */
    private static Path timedRound(ContentId id, List<InetSocketAddress> peers, Path out, EventLoopGroup group,
            DownloadOptions options) throws Exception {
        long cpuBefore = cpuMillis();
        java.util.Map<String, long[]> threadsBefore = cpuByThread();
        System.out.println(TIMED_START); // the harness starts counting the seeders' CPU here
        long t0 = System.nanoTime();
        NettyDownload download = NettyDownload.start(id, peers, out, group, options, NettyDownload.Milestones.NONE,
                links());
        if (Boolean.getBoolean("bench.trace")) {
            // Waits on the completion itself, waking every 200 ms to print progress.
            while (!download.completion().isDone()) {
                System.err.printf("%5d ms  %d chunks%n", (System.nanoTime() - t0) / 1_000_000,
                        download.progress().chunksVerified());
                try {
                    download.completion().get(200, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // next progress line
                }
            }
        }
        Path done = download.completion().get(10, TimeUnit.MINUTES);
        long nanos = System.nanoTime() - t0;
        long hwm = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .findFirst().orElse(-1);
        long[] jitMillis = {0};
        cpuByThread().forEach((name, after) -> {
            long[] before = threadsBefore.getOrDefault(name, new long[2]);
            long user = after[0] - before[0];
            long sys = after[1] - before[1];
            if (user + sys > 0) {
                System.err.printf("  cpu %-24s user %5d ms  sys %5d ms%n", name, user, sys);
            }
            if (name.contains("CompilerThre")) { // /proc truncates "C2 CompilerThread0"
                jitMillis[0] += user + sys;
            }
        });
        System.out.println(nanos + " " + hwm + " " + (cpuMillis() - cpuBefore) + " " + jitMillis[0]);
        return done;
    }

    /** {@code -Dbench.plaintext=true}: the paired run without encryption (the only place plaintext links are used). */
    static LinkSecurity links() {
        return Boolean.getBoolean("bench.plaintext") ? new LinkSecurity.PlaintextForMeasurement() : LinkSecurity.ephemeral();
    }

    public static void main(String[] args) throws Exception {
        ContentId warm = ContentId.fromHex(args[0]);
        ContentId id = ContentId.fromHex(args[1]);
        List<InetSocketAddress> peers = Arrays.stream(args[2].split(","))
                .map(port -> new InetSocketAddress("127.0.0.1", Integer.parseInt(port))).toList();
        Path out = Path.of(args[3]);
        EventLoopGroup group = TransferBenchmark.transport().newGroup(1);
        try {
            // Hashing on a small worker pool, as a daemon would pass in, so the loop only moves bytes.
            ExecutorService hashing = Executors.newFixedThreadPool(2);
            DownloadOptions options = DownloadOptions.builder().hashing(hashing)
                    .maxInFlightPerPeer(Integer.getInteger("bench.inFlight", 8))
                    .build();
            // Warm-up is counted in downloads, not bytes: C2 compiles whole inlined pipelines (0.4-0.7 CPU-s each)
            // and throws them away when a download's start or end takes a path they had never seen, so one long
            // download leaves the JVM as cold as a short one.
            for (int round = 0, warmRounds = Integer.getInteger("bench.warmRounds", 4); round < warmRounds; round++) {
                Files.delete(NettyDownload.start(warm, peers, out, group, options, NettyDownload.Milestones.NONE,
                        links()).completion().get(2,
                        TimeUnit.MINUTES));
            }
            int rounds = Integer.getInteger("bench.rounds", 3);
            // Several timed rounds, as JMH runs iterations; the harness reports their median and checks the last file.
            Path done = timedRound(id, peers, out, group, options);
            for (int round = 1; round < rounds; round++) {
                Files.delete(done);
                done = timedRound(id, peers, out, group, options);
            }
            hashing.shutdown();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
