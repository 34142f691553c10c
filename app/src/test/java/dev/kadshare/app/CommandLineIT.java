package dev.kadshare.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's command line as a user meets it: its commands, help, version and mistakes. */
class CommandLineIT {
    @TempDir
    Path dir;

    /** The commit this checkout is at, when it is one and git is installed. */
    private static Optional<String> gitHead() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(Path.of("..").toFile())
                    .redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException | InterruptedException e) {
            return Optional.empty();
        }
    }

    @Test
    void versionNamesTheBuildItsCommitAndTheJava() throws Exception {
        String version = System.getProperty("kadshare.version");
        for (String arg : List.of("--version", "version")) {
            Kadshare.Result run = Kadshare.run(dir, arg);
            assertEquals(0, run.exitCode(), run.toString());
            List<String> lines = run.out().lines().toList();
            assertTrue(lines.get(0).startsWith("kadshare " + version + " ("), lines.get(0));
            Optional<String> head = gitHead();
            if (head.isPresent()) {
                String commit = lines.get(0).replaceFirst(".*\\(commit ([0-9a-f]+).*", "$1");
                assertTrue(commit.length() == 10 && head.get().startsWith(commit), lines.get(0) + " vs HEAD " + head.get());
            } else {
                assertTrue(lines.get(0).contains("commit unknown"), lines.get(0));
            }
            assertTrue(lines.get(1).startsWith("Java " + Runtime.version() + " ("), lines.get(1));
        }
    }

    /** Through the launcher, which runs help and simulate from the simulation's jar, on top of the daemon's. */
    @Test
    void helpListsTheCommandsTheJarsOfferSimulateIncluded() throws Exception {
        Kadshare.Result help = Kadshare.launch(dir, "help");
        assertEquals(0, help.exitCode(), help.toString());
        for (String command : List.of("daemon", "share", "get", "open", "status", "search", "peers", "pause", "resume", "remove",
                "stop", "demo", "simulate", "help", "version")) {
            assertTrue(help.out().lines().anyMatch(l -> l.startsWith("  " + command + " ")), command + ": " + help.out());
        }
        Kadshare.Result simulate = Kadshare.launch(dir, "help", "simulate");
        assertEquals(0, simulate.exitCode(), simulate.toString());
        assertTrue(simulate.out().contains("Usage: kadshare simulate") && simulate.out().contains("--mode"), simulate.out());
        assertFalse(simulate.out().contains("--max-upload-rate <"), simulate.out());
        assertEquals(simulate.out(), Kadshare.launch(dir, "simulate", "--help").out());
    }

    @Test
    void mistakesGetOneLineInTheUsersTermsAndExitTwo() throws Exception {
        Kadshare.Result typo = Kadshare.run(dir, "gte", "magnet:?xt=urn:kadshare:00");
        assertEquals(2, typo.exitCode(), typo.toString());
        assertEquals("kadshare: unknown command 'gte' (did you mean get?) (see kadshare help)", typo.err().strip());
        Kadshare.Result extra = Kadshare.run(dir, "status", "foo");
        assertEquals(2, extra.exitCode(), extra.toString());
        assertEquals("kadshare: status takes no arguments, got 'foo' (see kadshare help status)", extra.err().strip());
    }
}
