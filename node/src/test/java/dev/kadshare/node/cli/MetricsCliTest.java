package dev.kadshare.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code metrics-public} from the command line or the config file, and a bad value. */
class MetricsCliTest {
    @TempDir
    Path dir;

    private final CliDaemons daemons = new CliDaemons();

    @AfterEach
    void stopAll() {
        daemons.close();
    }

    private static int scrapeWithoutToken(Path dataDir) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://"
                + Files.readString(dataDir.resolve("api.address")).trim() + "/metrics")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void theFlagOrTheConfigFileMakesTheMetricsPublic() throws Exception {
        Path closed = dir.resolve("closed");
        Path flag = dir.resolve("flag");
        Path file = dir.resolve("file");
        Files.createDirectories(file);
        Files.writeString(file.resolve("config"), "metrics-public=true\n");
        daemons.start(closed);
        daemons.start(flag, "--metrics-public");
        daemons.start(file);
        assertEquals(401, scrapeWithoutToken(closed));
        assertEquals(200, scrapeWithoutToken(flag));
        assertEquals(200, scrapeWithoutToken(file));
    }

    @Test
    void aValueThatIsNoBooleanIsAUsageErrorNamingItsLine() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("config"), "# metrics\nmetrics-public=maybe\n");
        CliRun run = CliRun.of("daemon", "--data-dir", bad.toString());
        assertEquals(CommandLine.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("line 2 (metrics-public): expected true or false, got 'maybe'"), run.err());
    }
}
