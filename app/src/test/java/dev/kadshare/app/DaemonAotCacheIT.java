package dev.kadshare.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Java 25 or later the launcher starts a daemon from an ahead-of-time cache: the first daemon of a jar records one
 * while it runs and the JVM writes it as it exits; the next daemon adopts it, and starts from it.
 */
class DaemonAotCacheIT {
    /** Where Debian and Temurin's packages put their JDKs. */
    private static final Path JVMS = Path.of("/usr/lib/jvm");
    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)");

    @TempDir
    Path dir;

    /** The bin directory of a JDK of version 25 or later on this machine, if any. */
    private static Optional<Path> jdk25() throws Exception {
        if (!Files.isDirectory(JVMS)) {
            return Optional.empty();
        }
        List<Path> bins;
        try (Stream<Path> homes = Files.list(JVMS)) {
            bins = homes.map(h -> h.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("java"))).sorted().toList();
        }
        for (Path bin : bins) {
            Process p = new ProcessBuilder(bin.resolve("java").toString(), "-version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = VERSION.matcher(out);
            if (m.find() && Integer.parseInt(m.group(1)) >= 25) {
                return Optional.of(bin);
            }
        }
        return Optional.empty();
    }

    private static List<String> caches(Path jar) throws IOException {
        try (Stream<Path> files = Files.list(jar.getParent())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".daemon-")).sorted().toList();
        }
    }

    @Test
    void theFirstDaemonRecordsACacheAndTheNextStartsFromIt() throws Exception {
        Optional<Path> bin = jdk25();
        assumeTrue(bin.isPresent(), "no JDK 25 or later under " + JVMS + ": the daemon's AOT cache is not tested");
        // A copy of the launcher and the daemon's jar, so this test's caches are its own.
        Path tree = dir.resolve("tree");
        Path launcher = Files.copy(Kadshare.LAUNCHER, Files.createDirectories(tree.resolve("bin")).resolve("kadshare"),
                StandardCopyOption.COPY_ATTRIBUTES);
        Path jar = Files.copy(Kadshare.JAR, Files.createDirectories(tree.resolve("app/target")).resolve("kadshare.jar"));
        Map<String, String> env = Map.of("PATH", bin.get() + ":" + System.getenv("PATH"));

        Kadshare.Daemon first = Kadshare.Daemon.startThroughLauncher(launcher, env, dir.resolve("a"));
        Kadshare.Daemon second = Kadshare.Daemon.startThroughLauncher(launcher, env, dir.resolve("b"));
        String recording;
        try {
            recording = first.jvmOption("-XX:AOTCacheOutput=").orElseThrow(() -> new AssertionError(
                    "the first daemon records a cache: " + first.jvmArguments()));
            assertTrue(recording.endsWith(".aot." + first.process.pid()), recording);
            assertEquals(Optional.empty(), second.jvmOption("-XX:AOTCacheOutput="), "one daemon records at a time");
            assertEquals(Optional.empty(), second.jvmOption("-XX:AOTCache="), "there is no cache yet");
        } finally {
            second.close();
            first.process.destroy(); // SIGTERM: it stops, and the JVM writes the cache as it exits
            first.process.waitFor(2, TimeUnit.MINUTES);
            first.close();
        }
        assertTrue(Files.size(Path.of(recording)) > 0, "written: " + caches(jar));
        // A cache cut short (its daemon killed while the JVM wrote it) is thrown away, not adopted.
        String cache = recording.substring(0, recording.lastIndexOf('.'));
        Path cutShort = Path.of(cache + ".999999999");
        try (var in = Files.newInputStream(Path.of(recording))) {
            Files.write(cutShort, in.readNBytes((int) (Files.size(Path.of(recording)) / 2)), StandardOpenOption.CREATE_NEW);
        }

        Kadshare.Daemon third = Kadshare.Daemon.startThroughLauncher(launcher, env, dir.resolve("c"));
        try {
            assertEquals(List.of(Path.of(cache).getFileName().toString()), caches(jar),
                    "the written cache adopted, the cut one deleted");
            assertEquals(Optional.of(cache), third.jvmOption("-XX:AOTCache="), third.jvmArguments().toString());
            assertEquals(Optional.empty(), third.jvmOption("-XX:AOTCacheOutput="));
            String maps = Files.readString(Path.of("/proc", Long.toString(third.process.pid()), "maps"));
            assertTrue(maps.contains(Path.of(cache).toRealPath().toString()), "the JVM mapped the cache: " + maps);
            assertFalse(third.output().contains("AOT"), "no AOT warnings in its output: " + third.output());
        } finally {
            third.close();
        }
    }
}
