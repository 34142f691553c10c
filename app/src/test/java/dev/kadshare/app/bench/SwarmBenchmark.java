package dev.kadshare.app.bench;

import dev.kadshare.testkit.RandomFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Real swarms through the daemons, side by side with aria2 in the same run: one seeder to one downloader, and one
 * seeder to several at once, each for several rounds (the first on fresh daemons), with the limit L of one verified
 * stream measured alongside; aria2 runs when aria2c, mktorrent and opentracker are installed. From the repository
 * root, after {@code mvn -B -q package -DskipTests}:
 *
 * <pre>mvn -B -q -pl app -am test-compile exec:exec@swarm-bench -Dfuzz.skip -Dswarm.args="--mib 1024 --rounds 4"</pre>
 *
 * <p>Options: {@code --mib N} (file size, default 1024), {@code --rounds N} (default 4), {@code --downloaders N}
 * (the swarm's, default 4), {@code --dir DIR} (where the file and copies go, default the temp dir). Each round also
 * prints all the daemons' CPU per GiB received split by what their threads do ({@link ThreadRole}), the CPU of the
 * {@code get} processes, and how much of the round the machine's {@link Cores} were busy, waiting for the disk or idle
 * (aria2's rounds too); each scenario ends with what its warm rounds spent against the {@link DataPathFloor}.
 */
public final class SwarmBenchmark {
    private static final double GIB = 1 << 30;
    /** Enough for the cipher's and the file's figures to settle, little enough to leave the page cache alone. */
    private static final long FLOOR_BYTES = 256L << 20;

    /** What to run: {@code swarms} lists the downloaders of each scenario (1 -> 1, then 1 + N). */
    record Options(int mib, int rounds, List<Integer> swarms, Path dir) {
        static Options parse(String[] args) {
            int mib = 1024;
            int rounds = 4;
            int downloaders = 4;
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--mib" -> mib = Integer.parseInt(args[i + 1]);
                    case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                    case "--downloaders" -> downloaders = Integer.parseInt(args[i + 1]);
                    case "--dir" -> dir = Path.of(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(mib, rounds, List.of(1, downloaders), dir);
        }
    }

    private SwarmBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        run(Options.parse(args), System.out::println);
    }

    /** Runs every scenario, printing each line as it is measured. */
    static void run(Options options, Consumer<String> print) throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(options.dir()), "swarm-bench"); // --dir may be new
        try {
            Path file = RandomFiles.write(dir.resolve("share").resolve("bench.bin"), (long) options.mib() << 20, 16);
            forceToDisk(file);
            long bytes = Files.size(file);
            print.accept(String.format(Locale.ROOT, "swarm benchmark: %d MiB, %d rounds (round 1 on fresh daemons), %d cores",
                    options.mib(), options.rounds(), Runtime.getRuntime().availableProcessors()));
            VerifiedStreamLimit limit = VerifiedStreamLimit.measure(Math.max(bytes, 256L << 20));
            print.accept(String.format(Locale.ROOT, "limit: raw TCP R %.0f MB/s, SHA-256 H %.0f MB/s (one core), L %.0f MB/s",
                    limit.tcp().bytesPerSecond() / 1e6, limit.sha256().bytesPerSecond() / 1e6, limit.bytesPerSecond() / 1e6));
            DataPathFloor floor = DataPathFloor.measure(limit, dir, FLOOR_BYTES);
            print.accept(String.format(Locale.ROOT, "floor: CPU-s per GiB from a sender's file to a receiver's: TCP %.2f, "
                    + "link cipher %.2f, SHA-256 %.2f, file write %.2f, file read %.2f; %.2f in all", floor.tcp(),
                    floor.cipher(), floor.sha256(), floor.write(), floor.read(), floor.perGib()));
            DiskFlush flush = DiskFlush.measure(dir, FLOOR_BYTES);
            print.accept(String.format(Locale.ROOT, "disk: a download's writes%s made durable (fsync) wait %.2f s per GiB, "
                    + "not CPU; written by %d threads and made durable, %.2f s per GiB: %.0f MB/s (%.2f L) at most",
                    flush.direct() ? " (around the page cache)" : " (through the page cache)", flush.secondsPerGib(),
                    DiskFlush.WRITERS, flush.durableSecondsPerGib(), GIB / flush.durableSecondsPerGib() / 1e6,
                    GIB / flush.durableSecondsPerGib() / limit.bytesPerSecond()));
            for (int downloaders : options.swarms()) {
                String scenario = downloaders == 1 ? "1->1" : "1+" + downloaders;
                List<KadshareSwarm.Round> kadshare = kadshare(dir.resolve("k" + downloaders), file, downloaders,
                        options.rounds(), scenario, limit, print);
                List<Duration> aria2 = aria2(dir.resolve("a" + downloaders), file, downloaders, options.rounds(), scenario,
                        limit, print);
                summary(scenario, bytes, limit, kadshare.stream().map(KadshareSwarm.Round::took).toList(), aria2, print);
                floorSummary(scenario, bytes * downloaders / GIB, floor, flush, warm(kadshare), print);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Writes the shared file's pages to the disk now: left dirty, the kernel writes them back once they are 30 s old
     * (vm.dirty_expire_centisecs), in the middle of whichever rounds run then, and those rounds' downloads wait for
     * the disk behind a gigabyte that is no part of them.
     */
    private static void forceToDisk(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static List<KadshareSwarm.Round> kadshare(Path dir, Path file, int downloaders, int rounds, String scenario,
            VerifiedStreamLimit limit, Consumer<String> print) throws Exception {
        List<KadshareSwarm.Round> done = new ArrayList<>();
        double gib = Files.size(file) / GIB;
        try (KadshareSwarm swarm = KadshareSwarm.start(dir, file, downloaders)) {
            print.accept(scenario + " kadshare daemons: " + swarm.jvm());
            for (int r = 1; r <= rounds; r++) {
                KadshareSwarm.Round round = swarm.fetch();
                done.add(round);
                print.accept(String.format(Locale.ROOT, "%s kadshare round %d: %s; CPU-s per GiB: seeder %.2f, downloaders %s; "
                        + "the gets' CPU-s %.2f", scenario, r, rate(Files.size(file), round.took(), limit),
                        seconds(round.cpu().get(0)) / gib, round.cpu().subList(1, round.cpu().size()).stream()
                                .map(d -> String.format(Locale.ROOT, "%.2f", seconds(d) / gib)).collect(Collectors.joining(" ")),
                        seconds(round.gets())));
                double received = gib * downloaders;
                print.accept(String.format(Locale.ROOT, "%s kadshare round %d, all daemons' CPU-s per GiB received: %s",
                        scenario, r, Arrays.stream(ThreadRole.values())
                                .map(role -> String.format(Locale.ROOT, "%s %.2f", role.label(),
                                        seconds(round.byRole().getOrDefault(role, Duration.ZERO)) / received))
                                .collect(Collectors.joining(", "))));
                print.accept(String.format(Locale.ROOT, "%s kadshare round %d, the cores: %s", scenario, r,
                        round.cores().describe()));
            }
            print.accept(String.format(Locale.ROOT, "%s kadshare peak RSS (MB): %s", scenario,
                    swarm.peakRss().stream().map(b -> Long.toString(b / 1_000_000)).collect(Collectors.joining(" "))));
        }
        return done;
    }

    private static List<Duration> aria2(Path dir, Path file, int downloaders, int rounds, String scenario,
            VerifiedStreamLimit limit, Consumer<String> print) throws Exception {
        var unavailable = Aria2Swarm.unavailable();
        if (unavailable.isPresent()) {
            print.accept(scenario + " aria2 skipped: " + unavailable.get());
            return List.of();
        }
        List<Duration> times = new ArrayList<>();
        try (Aria2Swarm swarm = Aria2Swarm.start(dir, file)) {
            for (int r = 1; r <= rounds; r++) {
                Aria2Swarm.Round round = swarm.fetch(downloaders);
                times.add(round.took());
                print.accept(String.format(Locale.ROOT, "%s aria2 round %d: %s; the cores: %s", scenario, r,
                        rate(Files.size(file), round.took(), limit), round.cores().describe()));
            }
        }
        return times;
    }

    private static void summary(String scenario, long bytes, VerifiedStreamLimit limit, List<Duration> kadshare,
            List<Duration> aria2, Consumer<String> print) {
        Duration fresh = kadshare.get(0);
        Duration warm = median(warm(kadshare));
        String against = aria2.isEmpty() ? "aria2 not run"
                : String.format(Locale.ROOT, "aria2 median %.2f s: kadshare %.1fx as fast", seconds(median(aria2)),
                        seconds(median(aria2)) / seconds(warm));
        print.accept(String.format(Locale.ROOT, "%s summary: kadshare fresh %s; warm median %s; %s", scenario,
                rate(bytes, fresh, limit), rate(bytes, warm, limit), against));
    }

    /**
     * What the floor allows the scenario against what its warm rounds spent (each the median): the CPU-s no round can
     * spend less than, the time that takes on this machine's cores, and the link cipher's part of it.
     */
    private static void floorSummary(String scenario, double gibReceived, DataPathFloor floor, DiskFlush flush,
            List<KadshareSwarm.Round> warm, Consumer<String> print) {
        int cores = Runtime.getRuntime().availableProcessors();
        double least = floor.perGib() * gibReceived;
        double cipher = floor.cipher() * gibReceived;
        print.accept(String.format(Locale.ROOT, "%s floor: %.2f GiB received take at least %.2f CPU-s, %.2f s on %d cores, "
                + "the link cipher %.2f CPU-s (%.2f s) of it; the disk's flushes %.2f s; warm rounds' medians: the daemons "
                + "%.2f CPU-s, the gets %.2f",
                scenario, gibReceived, least, least / cores, cores, cipher, cipher / cores,
                flush.secondsPerGib() * gibReceived,
                seconds(median(warm.stream().map(KadshareSwarm.Round::daemons).toList())),
                seconds(median(warm.stream().map(KadshareSwarm.Round::gets).toList()))));
    }

    /** The rounds after the first, or the one round there is. */
    private static <T> List<T> warm(List<T> rounds) {
        return rounds.size() > 1 ? rounds.subList(1, rounds.size()) : rounds;
    }

    /** "4.71 s, 228 MB/s (0.17 L)": one copy's bytes over the time to the last exit. */
    private static String rate(long bytes, Duration took, VerifiedStreamLimit limit) {
        double perSecond = bytes / seconds(took);
        return String.format(Locale.ROOT, "%.2f s, %.0f MB/s (%.2f L)", seconds(took), perSecond / 1e6,
                perSecond / limit.bytesPerSecond());
    }

    private static Duration median(List<Duration> times) {
        List<Duration> sorted = times.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
