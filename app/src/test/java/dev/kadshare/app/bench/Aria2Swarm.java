package dev.kadshare.app.bench;

import dev.kadshare.testkit.netns.Shell;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * aria2 on the same file, the reference: opentracker on 127.0.0.1 (its Debian build serves only whitelisted
 * torrents, so the torrent's info hash is the whitelist), one aria2c seeding, and N aria2c downloaders started at
 * once, each exiting when its copy is complete and checked (--seed-time=0). No DHT, no local peer discovery.
 */
final class Aria2Swarm implements AutoCloseable {
    private static final List<String> COMMON = List.of("--enable-dht=false", "--bt-enable-lpd=false",
            "--console-log-level=warn", "--summary-interval=0", "--file-allocation=none");

    private final Path dir;
    private final Path file;
    private final Path torrent;
    private final Process tracker;
    private final Process seeder;

    private Aria2Swarm(Path dir, Path file, Path torrent, Process tracker, Process seeder) {
        this.dir = dir;
        this.file = file;
        this.torrent = torrent;
        this.tracker = tracker;
        this.seeder = seeder;
    }

    /** Why aria2 cannot run here, or empty when it can. */
    static Optional<String> unavailable() {
        for (String tool : List.of("aria2c", "mktorrent", "opentracker")) {
            if (!Shell.onPath(tool)) {
                return Optional.of(tool + " is not installed (apt-get install aria2 mktorrent opentracker)");
            }
        }
        return Optional.empty();
    }

    /** Starts the tracker and a seeder of {@code file}, working in {@code dir}. */
    static Aria2Swarm start(Path dir, Path file) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int trackerPort = freePort();
        Path torrent = dir.resolve("bench.torrent");
        run(dir, List.of("mktorrent", "-a", "http://127.0.0.1:" + trackerPort + "/announce", "-o", torrent.toString(),
                file.toString()));
        String infoHash = infoHash(dir, torrent);
        Files.writeString(dir.resolve("whitelist"), infoHash + "\n");
        // opentracker chroots into dir, so the whitelist is named from there
        Process tracker = start(dir, "tracker", List.of("opentracker", "-i", "127.0.0.1", "-p", Integer.toString(trackerPort),
                "-P", Integer.toString(trackerPort), "-d", dir.toString(), "-w", "whitelist"));
        List<String> seed = new ArrayList<>(List.of("aria2c", "-V", "--seed-ratio=0.0", "--listen-port=" + freePort(),
                "--dir=" + file.getParent()));
        seed.addAll(COMMON);
        seed.add(torrent.toString());
        Process seeder = start(dir, "seeder", seed);
        return new Aria2Swarm(dir, file, torrent, tracker, seeder);
    }

    /** One round: the time to the last exit, and the machine's cores over it. */
    record Round(Duration took, Cores cores) {
    }

    /**
     * Time from starting {@code downloaders} aria2c processes at once to the last one's exit; every copy checked
     * against the file and removed afterwards.
     */
    Round fetch(int downloaders) throws IOException, InterruptedException {
        List<Process> gets = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        Cores coresBefore = Cores.now();
        long start = System.nanoTime();
        for (int i = 0; i < downloaders; i++) {
            Path out = dir.resolve("out-" + i);
            outs.add(out);
            List<String> get = new ArrayList<>(List.of("aria2c", "--seed-time=0", "--listen-port=" + freePort(),
                    "--dir=" + out));
            get.addAll(COMMON);
            get.add(torrent.toString());
            gets.add(start(dir, "get-" + i, get));
        }
        for (Process p : gets) {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("aria2c did not complete; see " + dir);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Cores cores = Cores.now().since(coresBefore);
        for (Path out : outs) {
            Path copy = out.resolve(file.getFileName());
            if (Files.mismatch(copy, file) != -1) {
                throw new IOException("aria2c's copy differs: " + copy);
            }
            Files.delete(copy);
        }
        return new Round(took, cores);
    }

    @Override
    public void close() {
        seeder.destroyForcibly();
        tracker.destroyForcibly();
    }

    private static String infoHash(Path dir, Path torrent) throws IOException, InterruptedException {
        for (String line : run(dir, List.of("aria2c", "-S", torrent.toString())).split("\n")) {
            if (line.startsWith("Info Hash:")) {
                return line.substring("Info Hash:".length()).strip();
            }
        }
        throw new IOException("aria2c -S printed no info hash for " + torrent);
    }

    private static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "cmd", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(out));
        }
        return Files.readString(out);
    }

    private static Process start(Path dir, String name, List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
