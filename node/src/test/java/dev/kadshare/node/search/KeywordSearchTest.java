package dev.kadshare.node.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.ShareResult;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** B shares two files; C, which knows only A, finds them by words of their names, best match first. */
class KeywordSearchTest {
    @TempDir
    Path dir;

    @Test
    void searchFindsSharesByNameWordsRankedByMatches() throws Exception {
        Path desktop = RandomFiles.write(dir.resolve("f/Ubuntu 24.04 Desktop amd64.iso"), 1000, 1);
        Path server = RandomFiles.write(dir.resolve("f/ubuntu-server.iso"), 2000, 2);
        try (Node a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
             Node b = NodeTestSupport.loopbackNode(dir.resolve("b"), List.of(a.address()));
             Node c = NodeTestSupport.loopbackNode(dir.resolve("c"), List.of(a.address()))) {
            b.bootstrapped().get(10, TimeUnit.SECONDS);
            c.bootstrapped().get(10, TimeUnit.SECONDS);
            ShareResult d = b.share(desktop).get(30, TimeUnit.SECONDS);
            ShareResult s = b.share(server).get(30, TimeUnit.SECONDS);

            List<SearchResult> results = c.search("ubuntu desktop").get(30, TimeUnit.SECONDS);
            assertEquals(List.of(d.contentId(), s.contentId()), results.stream().map(SearchResult::contentId).toList());
            assertEquals(List.of("desktop", "ubuntu"), results.get(0).matched());
            assertEquals(List.of("ubuntu"), results.get(1).matched());
            assertEquals(d.link(), results.get(0).link());

            assertTrue(c.search("nothing-like-this").get(30, TimeUnit.SECONDS).isEmpty());
        }
    }
}
