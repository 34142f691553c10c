package dev.kadshare.node.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Daemons a test runs through the CLI in this JVM, each in its own data dir, on 127.0.0.1; close stops them. */
final class CliDaemons implements AutoCloseable {
    private final List<Path> running = new ArrayList<>();

    /**
     * Starts {@code kadshare daemon} on a free port and waits until its control API is up (or it exited); it logs at
     * WARN unless {@code extra} says otherwise (the level is the JVM's: the last daemon started sets it for all).
     */
    CompletableFuture<CliRun> start(Path dataDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("daemon", "--data-dir", dataDir.toString(), "--host", "127.0.0.1",
                "--port", "0"));
        if (!List.of(extra).contains("--log-level")) {
            args.addAll(List.of("--log-level", "warn"));
        }
        args.addAll(List.of(extra));
        running.add(dataDir);
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of(args.toArray(String[]::new)));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dataDir.resolve("api.address")) || run.isDone());
        return run;
    }

    /** {@code kadshare status --json} of the daemon of {@code dataDir}. */
    static JsonNode status(Path dataDir) throws Exception {
        CliRun run = CliRun.of("status", "--json", "--data-dir", dataDir.toString());
        assertEquals(0, run.exitCode(), run.toString());
        return Json.MAPPER.readTree(run.out());
    }

    /** The {@code --bootstrap} value that joins through the daemon of {@code dataDir}. */
    static String bootstrapThrough(Path dataDir) throws Exception {
        return "127.0.0.1:" + status(dataDir).path("dhtPort").asInt();
    }

    /** Waits until the daemon of {@code dataDir} has joined: its routing table holds a contact. */
    static void awaitJoined(Path dataDir) {
        await().atMost(Duration.ofSeconds(20)).until(() -> status(dataDir).path("routingTableSize").asInt() > 0);
    }

    /** The content id a link names. */
    static String idOf(String link) {
        return link.replaceFirst("^magnet:\\?xt=urn:kadshare:([0-9a-f]{64}).*", "$1");
    }

    /** The status entry of the transfer of {@code link} on the daemon of {@code dataDir}. */
    static JsonNode transfer(Path dataDir, String link) throws Exception {
        for (JsonNode t : status(dataDir).path("transfers")) {
            if (t.path("contentId").asText().equals(idOf(link))) {
                return t;
            }
        }
        throw new AssertionError("no transfer of " + link + " on " + dataDir);
    }

    /** Shares {@code path} from the daemon of {@code dataDir}; returns its link. */
    static String share(Path dataDir, Path path, String... extra) {
        List<String> args = new ArrayList<>(List.of("share", "--data-dir", dataDir.toString(), path.toString()));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        return run.lastLine();
    }

    /** Stops every daemon still running. */
    @Override
    public void close() {
        for (Path dataDir : running) {
            if (Files.exists(dataDir.resolve("api.address"))) {
                CliRun.of("stop", "--data-dir", dataDir.toString());
            }
        }
    }
}
