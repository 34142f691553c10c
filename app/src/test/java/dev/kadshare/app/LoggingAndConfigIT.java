package dev.kadshare.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon's log level from flag, environment or config file, and what it says of settings it cannot use. */
class LoggingAndConfigIT {
    @TempDir
    Path dir;

    private static boolean hasLine(String log, String level) {
        return log.lines().anyMatch(l -> l.matches("\\S+ " + level + " +.*"));
    }

    private static String logFile(Kadshare.Daemon d) throws Exception {
        return Files.readString(d.dataDir.resolve("kadshare.log"), StandardCharsets.UTF_8);
    }

    @Test
    void logLevelFromFlagVariableOrConfigReallyLogsAtThatLevel() throws Exception {
        try (Kadshare.Daemon flag = Kadshare.Daemon.start(dir.resolve("flag"), "--log-level", "debug")) {
            assertTrue(flag.cli(dir, "status").exitCode() == 0);
            assertTrue(hasLine(flag.output(), "DEBUG"), flag.output());
            assertTrue(logFile(flag).lines().anyMatch(l -> l.contains(" DEBUG ") && l.contains("setting log-level = debug (from --log-level)")),
                    logFile(flag));
            assertFalse(hasLine(flag.output(), "TRACE"), flag.output());
        }
        try (Kadshare.Daemon env = Kadshare.Daemon.start(dir.resolve("env"), Map.of("KADSHARE_LOG_LEVEL", "trace"))) {
            assertTrue(hasLine(env.output(), "TRACE") && hasLine(env.output(), "DEBUG"), env.output());
            assertTrue(env.output().contains("setting log-level = trace (from KADSHARE_LOG_LEVEL)"), env.output());
        }
        Files.createDirectories(dir.resolve("file"));
        Files.writeString(dir.resolve("file/config"), "log-level = debug\n");
        try (Kadshare.Daemon file = Kadshare.Daemon.start(dir.resolve("file"))) {
            assertTrue(file.output().contains("setting log-level = debug (from " + dir.resolve("file/config") + " line 1 (log-level))"),
                    file.output());
        }
        try (Kadshare.Daemon plain = Kadshare.Daemon.start(dir.resolve("plain"))) {
            assertTrue(hasLine(plain.output(), "INFO"), plain.output());
            assertFalse(hasLine(plain.output(), "DEBUG"), plain.output());
        }
    }

    @Test
    void unknownSettingsAreWarningsNamingThem() throws Exception {
        Path data = dir.resolve("d");
        Files.createDirectories(data);
        Files.writeString(data.resolve("config"), "port=0\nmax-uplaod-rate=1M\n");
        try (Kadshare.Daemon d = Kadshare.Daemon.start(data, Map.of("KADSHARE_PROT", "7000"))) {
            String out = d.output();
            assertTrue(out.lines().anyMatch(l -> l.contains(" WARN ") && l.contains(data.resolve("config")
                    + " line 2: unknown setting 'max-uplaod-rate', ignored (did you mean max-upload-rate?)")), out);
            assertTrue(out.lines().anyMatch(l -> l.contains(" WARN ")
                    && l.contains("environment: unknown setting 'KADSHARE_PROT', ignored (did you mean KADSHARE_PORT?)")), out);
        }
    }

    @Test
    void aBadValueNamesTheFlagTheVariableOrTheConfigLine() throws Exception {
        Path data = dir.resolve("bad");
        Files.createDirectories(data);
        Kadshare.Result flag = Kadshare.run(dir, "daemon", "--data-dir", data.toString(), "--port", "http");
        assertEquals(2, flag.exitCode(), flag.toString());
        assertTrue(flag.err().startsWith("kadshare: --port: expected a whole number, got 'http'"), flag.err());

        Kadshare.Result env = Kadshare.run(dir, Map.of("KADSHARE_MAX_DOWNLOAD_RATE", "fast"), "daemon", "--data-dir",
                data.toString());
        assertEquals(2, env.exitCode(), env.toString());
        assertTrue(env.err().startsWith("kadshare: KADSHARE_MAX_DOWNLOAD_RATE: expected bytes per second"), env.err());

        Files.writeString(data.resolve("config"), "# mine\nhost=127.0.0.1\nlog-level=loud\n");
        Kadshare.Result file = Kadshare.run(dir, "daemon", "--data-dir", data.toString());
        assertEquals(2, file.exitCode(), file.toString());
        assertTrue(file.err().startsWith("kadshare: " + data.resolve("config") + " line 3 (log-level): unknown log level 'loud'"),
                file.err());
        assertEquals(1, file.err().strip().lines().count(), file.err());
    }
}
