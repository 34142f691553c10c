package dev.kadshare.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C on a running {@code get}: the line is ended, and the user learns the daemon goes on and how to stop it. */
class GetInterruptIT {
    private static final String ID = "c0ffee".repeat(10) + "c0ff";

    @TempDir
    Path dir;

    /** Whether SIGINT is ignored in {@code pid} (a child of a shell that ran us in the background inherits that). */
    private static boolean ignoresSigint(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                return new BigInteger(line.substring(7).strip(), 16).testBit(1); // SIGINT is signal 2: bit 1
            }
        }
        return false;
    }

    /**
     * {@code command} run with SIGINT back at its default first, through perl (Debian's perl-base is essential):
     * a non-interactive shell that started the build in the background ignores SIGINT, an ignored signal stays
     * ignored across exec, and the JVM then never hears Ctrl-C. Without perl, the command as it is.
     */
    private static List<String> withSigintRestored(List<String> command) {
        boolean perl = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "perl")));
        if (!perl) {
            return command;
        }
        List<String> restored = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!;"));
        restored.addAll(command);
        return restored;
    }

    @Test
    void ctrlCEndsTheLineAndSaysTheDaemonKeepsDownloading() throws Exception {
        try (Kadshare.Daemon d = Kadshare.Daemon.start(dir.resolve("d"))) {
            // Nobody has this content: the download stays searching while get watches it.
            String link = "magnet:?xt=urn:kadshare:" + ID + "&dn=wanted.bin&xl=1000";
            Path out = dir.resolve("get.out");
            Path err = dir.resolve("get.err");
            Process get = new ProcessBuilder(withSigintRestored(Kadshare.command(List.of("get", "--data-dir",
                    d.dataDir.toString(), link, "--out", dir.resolve("downloads").toString()))))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).contains("searching for peers of wanted.bin")
                        || !get.isAlive());
                assumeFalse(ignoresSigint(get.pid()), "SIGINT is ignored in this process tree (started in the background "
                        + "by a non-interactive shell), so Ctrl-C cannot reach the process");
                Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(get.pid())).inheritIO().start();
                assertEquals(0, kill.waitFor());
                assertTrue(get.waitFor(30, TimeUnit.SECONDS), "get ends on SIGINT");
            } finally {
                get.destroyForcibly();
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertTrue(stdout.endsWith("\n"), "the progress output ends its line: " + stdout);
            String shortId = ID.substring(0, 16);
            assertEquals("kadshare: stopped watching; the daemon keeps downloading wanted.bin (id " + shortId + ")."
                    + " Pause it with 'kadshare pause " + shortId + " --data-dir " + d.dataDir + "', cancel it with"
                    + " 'kadshare remove " + shortId + " --data-dir " + d.dataDir + "', follow it with 'kadshare status"
                    + " --data-dir " + d.dataDir + "'.", stderr.strip());

            JsonNode transfer = d.status(dir).path("transfers").get(0);
            assertEquals(ID, transfer.path("contentId").asText(), "the daemon still has the download");
            assertEquals("SEARCHING", transfer.path("state").asText());
            Kadshare.Result pause = d.cli(dir, "pause", shortId);
            assertEquals(0, pause.exitCode(), pause.toString());
            assertEquals("wanted.bin PAUSED", pause.out().strip());
        }
    }
}
