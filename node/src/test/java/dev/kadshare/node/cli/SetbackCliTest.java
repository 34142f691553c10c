package dev.kadshare.node.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's setbacks as a user meets them, through the CLI against in-process daemons logging at DEBUG: a download
 * nobody can serve waits longer and longer between lookups, says why in status, and warns once per cause in the
 * log with one stack trace at DEBUG; a download whose every peer sent bad data fails, and {@code get} says why.
 */
class SetbackCliTest {
    /** A setback's reason once the waits have doubled twice: the third lookup or later. */
    private static final String THIRD_WAIT_OR_LATER = "; next lookup in ([4-9]|[1-9][0-9]) s";

    /** How a log line starts as the daemon writes it: its date and time (ISO 8601), then its level. */
    private static final Pattern LOG_LINE = Pattern.compile("\\S+ \\S+ (TRACE|DEBUG|INFO|WARN|ERROR) ");

    @TempDir
    static Path dir;
    private static Path sharer;
    private static Path getter;
    private static final CliDaemons daemons = new CliDaemons();

    @BeforeAll
    static void startDaemons() throws Exception {
        sharer = dir.resolve("sharer");
        daemons.start(sharer, "--log-level", "debug");
        getter = dir.resolve("getter");
        daemons.start(getter, "--log-level", "debug", "--bootstrap", CliDaemons.bootstrapThrough(sharer));
        CliDaemons.awaitJoined(getter);
    }

    @AfterAll
    static void stopDaemons() {
        daemons.close();
    }

    private static CliRun get(String link, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("get", "--data-dir", getter.toString(), link, "--out",
                dir.resolve("out").toString()));
        args.addAll(List.of(extra));
        return CompletableFuture.supplyAsync(() -> CliRun.of(args.toArray(String[]::new))).get(60, TimeUnit.SECONDS);
    }

    /** Waits until the getter's transfer of {@code link} has a reason matching {@code pattern}; returns it. */
    private static String awaitReason(String link, String pattern) {
        Pattern p = Pattern.compile(pattern);
        String[] reason = {""};
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> {
            reason[0] = CliDaemons.transfer(getter, link).path("reason").asText();
            return p.matcher(reason[0]).matches();
        });
        return reason[0];
    }

    /** The getter's log lines that name {@code contentId} (every in-process daemon logs into each log file). */
    private static List<String> logLines(String contentId) throws Exception {
        return Files.readAllLines(getter.resolve("kadshare.log")).stream().filter(l -> l.contains(contentId)).toList();
    }

    private static long warnings(String contentId) throws Exception {
        return logLines(contentId).stream().filter(l -> l.contains(" WARN ")).count();
    }

    /**
     * For each stack trace in the getter's log whose exception line names {@code contentId}: the log line it belongs
     * to (the last line before it that starts as a log line does, with its level).
     */
    private static List<String> stackTraces(String contentId) throws Exception {
        List<String> all = Files.readAllLines(getter.resolve("kadshare.log"));
        List<String> traced = new ArrayList<>();
        for (int i = 0; i + 1 < all.size(); i++) {
            if (all.get(i).contains(contentId) && all.get(i + 1).startsWith("\tat ")) {
                int header = i;
                while (header > 0 && !LOG_LINE.matcher(all.get(header)).lookingAt()) {
                    header--;
                }
                traced.add(all.get(header));
            }
        }
        return traced;
    }

    private static void remove(String link) {
        CliRun remove = CliRun.of("remove", "--data-dir", getter.toString(), CliDaemons.idOf(link), "--delete-data");
        assertEquals(0, remove.exitCode(), remove.toString());
    }

    @Test
    void contentNobodyHoldsWaitsLongerEachTimeSaysWhyAndWarnsOnce() throws Exception {
        byte[] id = new byte[32];
        new Random(11).nextBytes(id);
        String hex = HexFormat.of().formatHex(id);
        String link = "magnet:?xt=urn:kadshare:" + hex + "&dn=nobody.bin&xl=1000";
        CliRun get = get(link, "--detach");
        assertEquals(0, get.exitCode(), get.toString());

        awaitReason(link, "no peers found yet" + THIRD_WAIT_OR_LATER);
        JsonNode t = CliDaemons.transfer(getter, link);
        assertEquals("SEARCHING", t.path("state").asText());
        CliRun status = CliRun.of("status", "--data-dir", getter.toString());
        assertTrue(Pattern.compile("(?m)^    waiting: no peers found yet; next lookup in \\d+ s$").matcher(status.out())
                .find(), status.out());
        assertEquals(1, warnings(hex), "one warning for one cause, not one per lookup: " + logLines(hex));
        remove(link);
    }

    @Test
    void peersThatVanishedAreLookedForAgainWithOneWarningAndOneStackTrace() throws Exception {
        Path gone = dir.resolve("gone");
        daemons.start(gone, "--log-level", "debug", "--bootstrap", CliDaemons.bootstrapThrough(sharer));
        CliDaemons.awaitJoined(gone);
        String link = CliDaemons.share(gone, RandomFiles.write(dir.resolve("src/gone.bin"), 300_000, 21));
        assertEquals(0, CliRun.of("stop", "--data-dir", gone.toString()).exitCode());
        String hex = CliDaemons.idOf(link);

        CliRun get = get(link, "--detach");
        assertEquals(0, get.exitCode(), get.toString());
        // The DHT still names the stopped node: each attempt dials it and is refused.
        awaitReason(link, "the peer found is unreachable or lacks the content" + THIRD_WAIT_OR_LATER);
        assertEquals(1, warnings(hex), "one warning for one cause, not one per attempt: " + logLines(hex));
        List<String> traced = stackTraces(hex);
        assertEquals(1, traced.size(), "its stack trace once: " + logLines(hex));
        assertTrue(traced.get(0).contains(" DEBUG "), "at DEBUG: " + traced);
        // No line of the log at all (every daemon of this class logs there, at DEBUG) keeps a placeholder.
        List<String> placeholders = Files.readAllLines(getter.resolve("kadshare.log")).stream()
                .filter(l -> l.contains("{}")).toList();
        assertEquals(List.of(), placeholders, "no placeholder left");
        remove(link);
    }

    @Test
    void whenEveryPeerSendsBadDataTheDownloadFailsAndGetSaysWhy() throws Exception {
        Path file = RandomFiles.write(dir.resolve("src/bad.bin"), 1024 * 1024, 31);
        String link = CliDaemons.share(sharer, file);
        // The sharer's file changes under it, unseen by its stamp: what it serves no longer matches the manifest it
        // announced (a change the stamp shows is not served at all).
        RandomFiles.rewriteUnseen(file, 1024 * 1024, 32);

        CliRun get = get(link);
        assertEquals(1, get.exitCode(), get.toString());
        String error = "every peer sent bad data: 1 peer banned after \\d+ chunks? failed verification";
        assertTrue(get.err().strip().matches("kadshare: download failed: " + error), get.err());
        JsonNode t = CliDaemons.transfer(getter, link);
        assertEquals("FAILED", t.path("state").asText());
        assertTrue(t.path("error").asText().matches(error), t.toString());
        remove(link);
    }
}
