package dev.kadshare.node.search;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.ShareResult;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** B shares; C, which knows only A, finds B's shares through the DHT's keyword records. */
class KeywordSearchTest {
    @TempDir
    Path dir;

    private Node a;
    private Node b;
    private Node c;

    @BeforeEach
    void startNodes() throws Exception {
        a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
        b = NodeTestSupport.loopbackNode(dir.resolve("b"), List.of(a.address()));
        c = NodeTestSupport.loopbackNode(dir.resolve("c"), List.of(a.address()));
        b.bootstrapped().get(10, TimeUnit.SECONDS);
        c.bootstrapped().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopNodes() {
        for (Node node : new Node[] {c, b, a}) {
            if (node != null) {
                node.close();
            }
        }
    }

    private static List<SearchResult> search(Node node, String words) throws Exception {
        return node.search(SearchQuery.parse(words).orElseThrow()).get(30, TimeUnit.SECONDS);
    }

    private static Optional<SearchResult> hit(Node node, String words, String contentId) throws Exception {
        return search(node, words).stream().filter(r -> r.contentId().equals(contentId)).findFirst();
    }

    @Test
    void searchFindsSharesByNameWordsRankedByMatches() throws Exception {
        Path desktop = RandomFiles.write(dir.resolve("f/Ubuntu 24.04 Desktop amd64.iso"), 1000, 1);
        Path server = RandomFiles.write(dir.resolve("f/ubuntu-server.iso"), 2000, 2);
        ShareResult d = b.share(desktop).get(30, TimeUnit.SECONDS);
        ShareResult s = b.share(server).get(30, TimeUnit.SECONDS);

        List<SearchResult> results = search(c, "ubuntu desktop");
        assertEquals(List.of(d.contentId(), s.contentId()), results.stream().map(SearchResult::contentId).toList());
        assertEquals(List.of("desktop", "ubuntu"), results.get(0).matched());
        assertEquals(List.of("ubuntu"), results.get(1).matched());
        assertEquals(d.link(), results.get(0).link());

        assertTrue(search(c, "nothing-like-this").isEmpty());
    }

    /**
     * Word prefixes, case and accents; names of files inside a directory share; the number of peers holding
     * each hit, never counting the searcher itself; and a share its only holder removed is found with no peers
     * at once (its keyword records outlive it, its announcement does not).
     */
    @Test
    void prefixesAccentsFilesInsideAndPeerCounts() throws Exception {
        Path holiday = RandomFiles.write(dir.resolve("f/Holiday Video 2026.mp4"), 3000, 3);
        Path cafe = RandomFiles.write(dir.resolve("f/Café del Mar.flac"), 4000, 4);
        Path photos = dir.resolve("Photos");
        RandomFiles.write(photos.resolve("beach/Sunset.jpg"), 500, 5);
        RandomFiles.write(photos.resolve("notes.txt"), 100, 6);
        ShareResult h = b.share(holiday).get(30, TimeUnit.SECONDS);
        ShareResult m = b.share(cafe).get(30, TimeUnit.SECONDS);
        ShareResult p = b.share(photos).get(30, TimeUnit.SECONDS);

        SearchResult byPrefix = hit(c, "holi", h.contentId()).orElseThrow();
        assertEquals(List.of("holi"), byPrefix.matched());
        assertEquals(1, byPrefix.peers(), "B holds it");
        assertEquals(List.of(m.contentId()), search(c, "cafe").stream().map(SearchResult::contentId).toList());
        assertEquals(List.of(m.contentId()), search(c, "CAFÉ").stream().map(SearchResult::contentId).toList());
        assertEquals(List.of(h.contentId()), search(c, "vid 2026").stream().map(SearchResult::contentId).toList());

        SearchResult inside = hit(c, "sunset", p.contentId()).orElseThrow();
        assertEquals("Photos", inside.name());
        assertEquals(List.of("beach/Sunset.jpg"), inside.files());
        assertEquals(1, inside.peers());

        assertEquals(0, hit(b, "holi", h.contentId()).orElseThrow().peers(), "B does not count itself");

        b.remove(h.contentId(), false);
        await().atMost(Duration.ofSeconds(20)).until(() -> hit(c, "holi", h.contentId()).map(SearchResult::peers)
                .orElse(0) == 0);
        assertEquals(1, hit(c, "cafe", m.contentId()).orElseThrow().peers(), "B still holds the others");
    }
}
