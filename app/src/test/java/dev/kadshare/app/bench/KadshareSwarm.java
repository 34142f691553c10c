package dev.kadshare.app.bench;

import dev.kadshare.app.Kadshare;
import dev.kadshare.node.link.MagnetLink;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * kadshare as a user runs it: daemons started through bin/kadshare on 127.0.0.1, one sharing the file, the others
 * joined through it; each round starts one {@code bin/kadshare get} per downloader at once and ends when the last
 * exits, every copy checked, then removed with its data for the next round.
 */
final class KadshareSwarm implements AutoCloseable {
    /**
     * One round: the time to the last exit, the CPU each daemon spent in it (seeder first), all the daemons' CPU in it
     * by what their threads do, the CPU of the {@code get} processes together, and the machine's cores over it.
     */
    record Round(Duration took, List<Duration> cpu, Map<ThreadRole, Duration> byRole, Duration gets, Cores cores) {
        /** The daemons' CPU in the round, all together. */
        Duration daemons() {
            return cpu.stream().reduce(Duration.ZERO, Duration::plus);
        }
    }

    private final Path dir;
    private final Path file;
    private final Kadshare.Daemon seeder;
    private final List<Kadshare.Daemon> downloaders;
    private final String link;

    private KadshareSwarm(Path dir, Path file, Kadshare.Daemon seeder, List<Kadshare.Daemon> downloaders, String link) {
        this.dir = dir;
        this.file = file;
        this.seeder = seeder;
        this.downloaders = downloaders;
        this.link = link;
    }

    static KadshareSwarm start(Path dir, Path file, int downloaders) throws Exception {
        Kadshare.Daemon seeder = Kadshare.Daemon.startThroughLauncher(dir.resolve("seeder"), "--log-level", "warn");
        List<Kadshare.Daemon> gets = new ArrayList<>();
        try {
            String seed = "127.0.0.1:" + seeder.port(dir);
            for (int i = 0; i < downloaders; i++) {
                gets.add(Kadshare.Daemon.startThroughLauncher(dir.resolve("get-" + i), "--log-level", "warn",
                        "--bootstrap", seed));
            }
            Kadshare.Result share = seeder.cli(dir, "share", file.toString());
            if (share.exitCode() != 0) {
                throw new IOException("share failed: " + share);
            }
            return new KadshareSwarm(dir, file, seeder, gets, share.lastLine());
        } catch (Exception e) {
            for (Kadshare.Daemon d : gets) {
                d.close();
            }
            seeder.close();
            throw e;
        }
    }

    Round fetch() throws IOException, InterruptedException {
        List<Duration> before = cpu();
        Map<ThreadRole, Duration> rolesBefore = cpuByRole();
        Duration getsBefore = ProcessUsage.waitedChildrenCpu();
        List<Process> gets = new ArrayList<>();
        Cores coresBefore = Cores.now();
        long start = System.nanoTime();
        for (int i = 0; i < downloaders.size(); i++) {
            gets.add(new ProcessBuilder(Kadshare.LAUNCHER.toString(), "get", "--data-dir", downloaders.get(i).dataDir.toString(),
                    link, "--out", out(i).toString()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(dir.resolve("get-" + i + ".log").toFile()).start());
        }
        for (Process p : gets) {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("kadshare get did not complete; see " + dir);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Cores cores = Cores.now().since(coresBefore);
        Duration getsCpu = ProcessUsage.waitedChildrenCpu().minus(getsBefore);
        List<Duration> after = cpu();
        List<Duration> spent = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            spent.add(after.get(i).minus(before.get(i)));
        }
        Map<ThreadRole, Duration> byRole = cpuByRole();
        rolesBefore.forEach((role, d) -> byRole.merge(role, d.negated(), Duration::plus));
        String id = MagnetLink.parse(link).contentId().toHex();
        for (int i = 0; i < downloaders.size(); i++) {
            Path copy = out(i).resolve(file.getFileName());
            if (Files.mismatch(copy, file) != -1) {
                throw new IOException("kadshare's copy differs: " + copy);
            }
            Kadshare.Result remove = downloaders.get(i).cli(dir, "remove", "--delete-data", id);
            if (remove.exitCode() != 0) {
                throw new IOException("remove failed: " + remove);
            }
            Files.deleteIfExists(copy);
        }
        return new Round(took, spent, byRole, getsCpu, cores);
    }

    /**
     * The java the daemons run on (the launcher's: the first on the {@code PATH}), and how many start from the
     * launcher's AOT cache (Java 25 or later) or record it: the figures differ with both.
     */
    String jvm() {
        List<Kadshare.Daemon> all = daemons().toList();
        long from = all.stream().filter(d -> d.jvmOption("-XX:AOTCache=").isPresent()).count();
        long recording = all.stream().filter(d -> d.jvmOption("-XX:AOTCacheOutput=").isPresent()).count();
        return seeder.process.info().command().orElse("java") + "; " + from + " of " + all.size()
                + " start from the AOT cache, " + recording + " record it";
    }

    /** Each daemon's peak resident memory so far, seeder first. */
    List<Long> peakRss() {
        return daemons().map(d -> ProcessUsage.peakRssBytes(d.process)).toList();
    }

    private List<Duration> cpu() {
        return daemons().map(d -> ProcessUsage.cpu(d.process)).toList();
    }

    /** All the daemons' CPU so far, summed by thread role. */
    private Map<ThreadRole, Duration> cpuByRole() {
        Map<ThreadRole, Duration> sum = new EnumMap<>(ThreadRole.class);
        daemons().forEach(d -> ProcessUsage.cpuByRole(d.process).forEach((role, t) -> sum.merge(role, t, Duration::plus)));
        return sum;
    }

    /** Every daemon, the seeder first. */
    private Stream<Kadshare.Daemon> daemons() {
        return Stream.concat(Stream.of(seeder), downloaders.stream());
    }

    private Path out(int i) {
        return dir.resolve("out-" + i);
    }

    @Override
    public void close() throws InterruptedException {
        for (Kadshare.Daemon d : downloaders) {
            d.close();
        }
        seeder.close();
    }
}
