package dev.kadshare.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's jar leaves the simulation and its libraries to the simulation's jar, which the launcher runs for `simulate`. */
class PackagingIT {
    private static final List<String> SIMULATION_PACKAGES = List.of("dev/kadshare/simulation/", "org/jfree/",
            "org/apache/commons/math3/");

    @TempDir
    Path dir;

    /** The top two levels of every class's package in the jar, e.g. {@code org/jfree/}. */
    private static Set<String> packages(Path jar) throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).collect(Collectors.toSet());
        }
    }

    private static boolean holds(Set<String> classes, String prefix) {
        return classes.stream().anyMatch(c -> c.startsWith(prefix));
    }

    @Test
    void theSimulationAndItsChartsLiveOnlyInTheSimulationsJar() throws Exception {
        Set<String> daemon = packages(Kadshare.JAR);
        Set<String> simulation = packages(Kadshare.SIMULATION_JAR);
        for (String prefix : SIMULATION_PACKAGES) {
            assertTrue(!holds(daemon, prefix), "kadshare.jar holds " + prefix);
            assertTrue(holds(simulation, prefix), "kadshare-simulation.jar lacks " + prefix);
        }
        assertTrue(holds(daemon, "dev/kadshare/node/"), "the daemon's jar holds the node");
        assertTrue(!holds(simulation, "dev/kadshare/node/"), "the simulation's jar takes the node from the daemon's");
    }

    /** The class-data archives of the short commands next to {@code jar}. */
    private static List<String> archives(Path jar) throws IOException {
        try (Stream<Path> files = Files.list(jar.getParent())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jsa")).sorted().toList();
        }
    }

    /** A copy of the launcher in {@code tree}, beside a copy of the daemon's jar, so a test's archives are its own. */
    private static Path launcherIn(Path tree) throws IOException {
        Files.copy(Kadshare.JAR, Files.createDirectories(tree.resolve("app/target")).resolve("kadshare.jar"));
        return Files.copy(Kadshare.LAUNCHER, Files.createDirectories(tree.resolve("bin")).resolve("kadshare"),
                StandardCopyOption.COPY_ATTRIBUTES);
    }

    @Test
    void aShortCommandsClassArchiveIsKeptOnlyFromARunThatSucceeded() throws Exception {
        Path tree = dir.resolve("tree");
        Path launcher = launcherIn(tree);
        Path jar = tree.resolve("app/target/kadshare.jar");

        Kadshare.Result failed = Kadshare.launchFrom(launcher, dir, "status", "--data-dir", dir.resolve("none").toString());
        assertEquals(1, failed.exitCode(), failed.toString());
        assertEquals(List.of(), archives(jar), "a run that failed early loaded too few classes to keep");

        Kadshare.Result version = Kadshare.launchFrom(launcher, dir, "version");
        assertEquals(0, version.exitCode(), version.toString());
        List<String> kept = archives(jar);
        assertEquals(1, kept.size(), kept.toString());
        assertTrue(kept.get(0).startsWith("kadshare.jar.cli-version-"), kept.toString());

        Kadshare.Result again = Kadshare.launchFrom(launcher, dir, "version");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(version.out(), again.out(), "the same answer from the archive");
        assertEquals(kept, archives(jar));
    }

    @Test
    void aNewJarGetsArchivesOfItsOwnAndTheOldOnesGo() throws Exception {
        Path tree = dir.resolve("tree");
        Path launcher = launcherIn(tree);
        Path jar = tree.resolve("app/target/kadshare.jar");
        assertEquals(0, Kadshare.launchFrom(launcher, dir, "version").exitCode());
        List<String> before = archives(jar);
        assertEquals(1, before.size(), before.toString());

        // Another jar put in its place, of the same size and date (copied with its date, say): another file.
        Path other = Files.copy(Kadshare.JAR, tree.resolve("app/target/kadshare.jar.new"));
        Files.setLastModifiedTime(other, Files.getLastModifiedTime(jar));
        Files.move(other, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(0, Kadshare.launchFrom(launcher, dir, "version").exitCode());
        List<String> after = archives(jar);
        assertEquals(1, after.size(), after.toString());
        assertNotEquals(before, after, "the old jar's archive is gone, the new one's made");
    }

    @Test
    void theLauncherReachedThroughALinkRunsTheJarsBesideItself() throws Exception {
        Path tree = dir.resolve("tree");
        Path launcher = launcherIn(tree);
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("home/bin")).resolve("kadshare"), launcher);
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

        Kadshare.Result version = Kadshare.launchFrom(link, elsewhere, "version");
        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.out().startsWith("kadshare "), version.out());
        assertEquals(1, archives(tree.resolve("app/target/kadshare.jar")).size(), "its archive beside the jar");
        try (Stream<Path> files = Files.list(link.getParent())) {
            assertEquals(List.of(link), files.toList(), "nothing written beside the link");
        }
    }

    @Test
    void withoutJavaOnThePathTheLauncherSaysSoInOneLine() throws Exception {
        Path launcher = launcherIn(dir.resolve("tree"));
        Path onlyBash = Files.createDirectories(dir.resolve("only-bash")); // for the launcher's first line, and no java
        Files.createSymbolicLink(onlyBash.resolve("bash"), Path.of("/bin/bash"));

        Kadshare.Result run = Kadshare.launchFrom(launcher, dir, Map.of("PATH", onlyBash.toString()), "version");
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals("kadshare: no executable java on PATH; kadshare runs on Java 17 or later", run.err().strip());
    }

    @Test
    void theLauncherRunsSimulateAndTheUsageFromTheSimulationsJarAndOtherCommandsFromTheDaemons() throws Exception {
        Kadshare.Result run = Kadshare.launch(dir, "--verbose", "simulate", "lookup", "--nodes", "30", "--keys", "5",
                "--lookups", "20", "--json");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode report = run.json();
        assertEquals("lookup", report.path("scenario").asText());
        assertEquals(20, report.path("lookups").asInt());

        Kadshare.Result usage = Kadshare.launch(dir, "--help");
        assertEquals(0, usage.exitCode(), usage.toString());
        assertTrue(usage.out().contains("daemon") && usage.out().contains("simulate"), "lists every command: " + usage.out());

        Kadshare.Result status = Kadshare.launch(dir, "status", "--data-dir", dir.resolve("none").toString());
        assertEquals(1, status.exitCode(), status.toString());
        assertTrue(status.err().contains("no daemon running"), status.err());
    }
}
