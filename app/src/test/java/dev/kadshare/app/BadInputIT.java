package dev.kadshare.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the real jar: one line on stderr, a non-zero exit code, never a stack trace. */
class BadInputIT {
    @TempDir
    Path dir;

    private static void assertOneLineError(Kadshare.Result run, int code, String fragment) {
        assertEquals(code, run.exitCode(), run.toString());
        String err = run.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("kadshare: ") && err.contains(fragment), "expected '" + fragment + "' in: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }

    @Test
    void everyBadInputGetsOneLineAndANonZeroExit() throws Exception {
        String none = dir.resolve("none").toString();
        assertOneLineError(Kadshare.run(dir, "get", "--data-dir", none, "magnet:?xt=urn:kadshare:xyz"), 2, "64 hex");
        assertOneLineError(Kadshare.run(dir, "status", "--data-dir", none), 1, "no daemon running for data dir");
        assertOneLineError(Kadshare.run(dir, "share", "--data-dir", none, dir.resolve("nope").toString()), 2,
                "cannot read file");
        assertOneLineError(Kadshare.run(dir, "pause", "--data-dir", none, "zz"), 2, "hex");
        assertOneLineError(Kadshare.run(dir, "daemon", "--data-dir", none, "--port", "http"), 2, "--port");
        assertOneLineError(Kadshare.run(dir, "daemon", "--data-dir", none, "--max-upload-rate", "fast"), 2,
                "--max-upload-rate");
        assertOneLineError(Kadshare.run(dir, "nonsense"), 2, "nonsense");

        try (Kadshare.Daemon d = Kadshare.Daemon.start(dir.resolve("d"))) {
            int port = d.port(dir);
            assertOneLineError(Kadshare.run(dir, "daemon", "--data-dir", dir.resolve("e").toString(), "--host",
                    "127.0.0.1", "--port", String.valueOf(port)), 1, "already in use");
            assertOneLineError(Kadshare.run(dir, "daemon", "--data-dir", d.dataDir.toString(), "--host", "127.0.0.1",
                    "--port", "0"), 1, "already running");
            assertOneLineError(d.cli(dir, "resume", "abcdef"), 1, "no transfer or share");
        }
    }
}
