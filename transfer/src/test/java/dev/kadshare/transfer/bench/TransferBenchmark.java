package dev.kadshare.transfer.bench;

import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.net.Transport;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.testkit.TempTree;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Prints throughput figures, not a test: 1 GiB over loopback from one and from four seeders to a
 * downloader in a child JVM (modest heap, peak RSS read from its /proc/self/status), against raw TCP on
 * loopback measured in the same run. Run from the reactor root:
 * {@code mvn -B -q -pl transfer -am test-compile exec:exec@bench} (add {@code -Dbench.mib=256} for a quicker run).
 */
public final class TransferBenchmark {
    private static final int MIB = 1 << 20;

    public static void main(String[] args) throws Exception {
        long mib = Long.getLong("bench.mib", 1024);
        String childHeap = System.getProperty("bench.childXmx", "128m");
        // /tmp by default; -Dbench.dir=/dev/shm takes the disk out when it is slower than the network.
        TempTree tree = TempTree.createIn(Path.of(System.getProperty("bench.dir", "/tmp")), "kadshare-bench-");
        Path work = tree.root();
        EventLoopGroup group = transport().newGroup(2);
        try {
            Path file = work.resolve("seed.bin");
            long t0 = System.nanoTime();
            RandomFiles.write(file, mib * MIB, 1);
            report("disk write (" + work.getParent() + ")", mib * MIB, System.nanoTime() - t0);
            t0 = System.nanoTime();
            Manifest manifest = Manifest.ofFile(file, "seed.bin", Manifest.DEFAULT_CHUNK_SIZE);
            report("hash (manifest)", mib * MIB, System.nanoTime() - t0);

            // A content the downloader fetches first, untimed, so the figures are those of a warm JVM. 64 MiB
            // was too little: C2 still spent over a CPU-second compiling the receive path inside the timed run.
            Path warmFile = work.resolve("warm.bin");
            RandomFiles.write(warmFile, Long.getLong("bench.warmMib", 256) * MIB, 2);
            Manifest warm = Manifest.ofFile(warmFile, "warm.bin", Manifest.DEFAULT_CHUNK_SIZE);

            double raw = rawTcp(file);
            System.out.printf("%-36s %8.0f MB/s%n", "raw TCP loopback", raw);
            System.out.println("transport: " + transport());
            int pairs = Integer.getInteger("bench.rounds", 3);
            double gib = manifest.length() / (double) (1L << 30);
            for (int seeders : new int[] {1, 4}) {
                // The paired run: the same download with encrypted links and with plaintext ones, interleaved (an
                // encrypted round, then a plaintext one, `pairs` times), so a load that drifts over the run weighs on
                // both alike; each round in a fresh downloading JVM, warmed first.
                java.util.Map<Boolean, List<TransferServer>> servers = new java.util.HashMap<>();
                java.util.Map<Boolean, List<Round>> rounds = new java.util.HashMap<>();
                for (boolean plaintext : new boolean[] {false, true}) {
                    List<TransferServer> these = new ArrayList<>();
                    for (int i = 0; i < seeders; i++) {
                        these.add(TransferServer.start(new InetSocketAddress("127.0.0.1", 0),
                                id -> id.equals(manifest.contentId()) ? Optional.of(new SharedContent(manifest, file))
                                        : id.equals(warm.contentId()) ? Optional.of(new SharedContent(warm, warmFile))
                                        : Optional.empty(), group, TransferLimits.defaults(),
                                plaintext ? new LinkSecurity.PlaintextForMeasurement() : LinkSecurity.ephemeral()));
                    }
                    servers.put(plaintext, these);
                    rounds.put(plaintext, new ArrayList<>());
                }
                Path out = Files.createDirectories(work.resolve("out-" + seeders));
                double[] pairRatios = new double[pairs];
                for (int pair = 0; pair < pairs; pair++) {
                    for (boolean plaintext : new boolean[] {false, true}) {
                        String mode = plaintext ? "plaintext" : "encrypted";
                        String ports = servers.get(plaintext).stream().map(s -> String.valueOf(s.localAddress().getPort()))
                                .collect(Collectors.joining(","));
                        Round r = runDownloader(childHeap, warm.contentId().toHex(), manifest.contentId().toHex(),
                                ports, out, plaintext).get(0);
                        if (!Manifest.ofFile(out.resolve("seed.bin"), "seed.bin", manifest.chunkSize()).equals(manifest)) {
                            throw new IllegalStateException("downloaded file differs from the seed");
                        }
                        Files.delete(out.resolve("seed.bin"));
                        rounds.get(plaintext).add(r);
                        double mbps = manifest.length() / 1e6 / (r.nanos() / 1e9);
                        System.out.printf("%-36s %8.0f MB/s  %.2f x raw TCP  peak RSS %d MB (-Xmx%s)  downloader CPU %.2f s/GiB"
                                + " (JIT %.2f of it)  seeders' CPU %.2f s/GiB%n",
                                mode + ", " + seeders + " seeder(s), round " + (pair + 1), mbps, mbps / raw, r.hwmKb() / 1024,
                                childHeap, r.cpuMillis() / 1000.0 / gib, r.jitMillis() / 1000.0 / gib, r.seederCpuNanos() / 1e9 / gib);
                    }
                    // throughput ratio = time ratio, the other way round
                    pairRatios[pair] = rounds.get(true).get(pair).nanos() / (double) rounds.get(false).get(pair).nanos();
                }
                servers.values().forEach(these -> these.forEach(TransferServer::close));
                for (boolean plaintext : new boolean[] {false, true}) {
                    double median = manifest.length() / 1e6
                            / (median(rounds.get(plaintext).stream().mapToLong(Round::nanos).toArray()) / 1e9);
                    System.out.printf("%-36s %8.0f MB/s  %.2f x raw TCP  (median of %d rounds)%n",
                            (plaintext ? "plaintext" : "encrypted") + ", " + seeders + " seeder(s)", median, median / raw, pairs);
                }
                double[] sorted = pairRatios.clone();
                Arrays.sort(sorted);
                System.out.printf("%-36s %8.2f  (median of the %d pairs: %s)%n", "encrypted / plaintext, " + seeders + " seeder(s)",
                        sorted[pairs / 2], pairs, Arrays.stream(pairRatios).mapToObj(x -> String.format("%.2f", x))
                                .collect(Collectors.joining(" ")));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            tree.close();
        }
    }

    /** {@code -Dbench.transport=nio|epoll}; by default what a node uses. */
    static Transport transport() {
        String name = System.getProperty("bench.transport", "");
        return name.isEmpty() ? Transport.preferred() : Transport.valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The file sent with transferTo over one loopback connection, received into a reused buffer and dropped. */
    private static double rawTcp(Path file) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            Thread sender = new Thread(() -> {
                try (SocketChannel s = server.accept(); FileChannel ch = FileChannel.open(file)) {
                    long pos = 0;
                    while (pos < ch.size()) {
                        pos += ch.transferTo(pos, ch.size() - pos, s);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            sender.start();
            long total = Files.size(file);
            ByteBuffer buf = ByteBuffer.allocateDirect(MIB);
            long t0 = System.nanoTime();
            try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
                long got = 0;
                while (got < total) {
                    buf.clear();
                    int n = c.read(buf);
                    if (n < 0) {
                        break;
                    }
                    got += n;
                }
            }
            long nanos = System.nanoTime() - t0;
            sender.join(60_000);
            return total / 1e6 / (nanos / 1e9);
        }
    }

    /** One timed download as the child reports it, with the seeders' (this JVM's) CPU over the same window. */
    private record Round(long nanos, long hwmKb, long cpuMillis, long jitMillis, long seederCpuNanos) {}

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Runs a downloading JVM: its warm-up rounds, then one timed round, which it returns. */
    private static List<Round> runDownloader(String heap, String warmHex, String hex, String ports, Path out,
            boolean plaintext) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx" + heap,
                "-Dbench.trace=" + Boolean.getBoolean("bench.trace"), "-Dbench.transport=" + transport(),
                "-Dbench.rounds=1", "-Dbench.plaintext=" + plaintext,
                "-Dbench.warmRounds=" + Integer.getInteger("bench.warmRounds", 4),
                System.getProperty("bench.childOpt", "-Dbench.none=1"),
                "-Dbench.inFlight=" + Integer.getInteger("bench.inFlight", 8), "-cp", System.getProperty("java.class.path"),
                BenchDownloader.class.getName(), warmHex, hex, ports, out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Round> rounds = new ArrayList<>();
        long seederCpuBefore = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.matches("\\d+ \\d+ \\d+ \\d+")) {
                    // The seeders are this JVM: its CPU over the round is theirs (and its own JIT and GC).
                    long seederCpu = processCpuNanos() - seederCpuBefore;
                    long[] f = Arrays.stream(line.trim().split(" ")).mapToLong(Long::parseLong).toArray();
                    rounds.add(new Round(f[0], f[1], f[2], f[3], seederCpu));
                } else if (line.equals(BenchDownloader.TIMED_START)) {
                    seederCpuBefore = processCpuNanos();
                } else {
                    System.err.println(line); // e.g. what -Dbench.childOpt=-XX:+PrintCompilation prints
                }
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || rounds.isEmpty()) {
            p.destroyForcibly();
            throw new IllegalStateException("downloader failed after " + rounds.size() + " rounds");
        }
        return rounds;
    }

    private static void report(String what, long bytes, long nanos) {
        System.out.printf("%-36s %8.0f MB/s%n", what, bytes / 1e6 / (nanos / 1e9));
    }
}
