package dev.kadshare.node.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.ShareResult;
import dev.kadshare.node.api.ControlServer;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kadshare search} as a user runs it against C's daemon, while B shares (and removes). */
class SearchCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsHitsByPrefixAndAccentWithTheirPeersAndHonestWordCounts() throws Exception {
        Path ubuntu = RandomFiles.write(dir.resolve("f/ubuntu-desktop.iso"), 3000, 1);
        Path cafe = RandomFiles.write(dir.resolve("f/Café Holiday.flac"), 3000, 2);
        DataDir bDir = new DataDir(dir.resolve("b"));
        DataDir cDir = new DataDir(dir.resolve("c"));
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             Node b = NodeTestSupport.loopbackNode(bDir.root(), List.of(a.address()));
             Node c = NodeTestSupport.loopbackNode(cDir.root(), List.of(a.address()));
             ControlServer bApi = ControlServer.start(bDir, b, () -> { });
             ControlServer cApi = ControlServer.start(cDir, c, () -> { })) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            c.bootstrapped().get(10, TimeUnit.SECONDS);
            ShareResult u = b.share(ubuntu).get(30, TimeUnit.SECONDS);
            ShareResult h = b.share(cafe).get(30, TimeUnit.SECONDS);

            // One argument, two words: the count is of the words searched, never "2/1".
            CliRun dashed = CliRun.of("search", "--data-dir", cDir.root().toString(), "ubuntu-desktop");
            assertEquals(0, dashed.exitCode(), dashed.toString());
            assertTrue(dashed.out().lines().findFirst().orElseThrow().matches("ubuntu-desktop\\.iso  .+  2/2 words  1 peer"),
                    dashed.out());
            assertTrue(dashed.out().contains("  " + u.link() + "\n"), dashed.out());

            CliRun byPrefixAndAccent = CliRun.of("search", "--data-dir", cDir.root().toString(), "cafe", "holi");
            assertEquals(0, byPrefixAndAccent.exitCode(), byPrefixAndAccent.toString());
            assertTrue(byPrefixAndAccent.out().lines().findFirst().orElseThrow()
                    .matches("Café Holiday\\.flac  .+  2/2 words  1 peer"), byPrefixAndAccent.out());
            assertTrue(byPrefixAndAccent.out().contains(h.link()), byPrefixAndAccent.out());
            assertFalse(byPrefixAndAccent.out().contains("ubuntu"), byPrefixAndAccent.out());

            // A content id is no word of a name: nothing found, and how to fetch it instead.
            CliRun byId = CliRun.of("search", "--data-dir", cDir.root().toString(), h.contentId());
            assertEquals(0, byId.exitCode(), byId.toString());
            assertEquals(List.of("nothing found for '" + h.contentId() + "'",
                    "search looks for words of names, not ids; to fetch it: kadshare get 'magnet:?xt=urn:kadshare:"
                            + h.contentId() + "'"), byId.out().lines().toList(), byId.out());

            // B removes it: B's announcement is withdrawn where it was stored, so C's search finds nobody holding
            // it within seconds (its keyword records stay until they expire), not after the 30 min TTL.
            CliRun remove = CliRun.of("remove", "--data-dir", bDir.root().toString(), u.contentId().substring(0, 12));
            assertEquals(0, remove.exitCode(), remove.toString());
            await().atMost(Duration.ofSeconds(20)).until(() -> CliRun.of("search", "--data-dir", cDir.root().toString(),
                    "ubuntu").out().lines().findFirst().orElse("").endsWith("  0 peers"));
        }
    }

    /** A node that knows no one (no bootstrap, or none answered) asked no one: "nothing found" says why. */
    @Test
    void aNodeThatKnowsNoOneSaysSoWhenItFindsNothing() throws Exception {
        DataDir aloneDir = new DataDir(dir.resolve("alone"));
        try (Node alone = NodeTestSupport.loopbackNode(aloneDir.root(), List.of());
             ControlServer api = ControlServer.start(aloneDir, alone, () -> { })) {
            CliRun search = CliRun.of("search", "--data-dir", aloneDir.root().toString(), "holiday");
            assertEquals(0, search.exitCode(), search.toString());
            assertEquals(List.of("nothing found for 'holiday'", SearchCommand.ALONE), search.out().lines().toList(),
                    search.out());
        }
    }
}
