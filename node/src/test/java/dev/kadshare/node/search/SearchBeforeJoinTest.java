package dev.kadshare.node.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.Dht;
import dev.kadshare.node.LoopbackDhts;
import dev.kadshare.testkit.RandomFiles;
import dev.kadshare.transfer.content.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search typed before its node joined the network (right after the daemon started) waits for the join and then
 * finds what the network holds, instead of asking no one and saying nothing was found.
 */
class SearchBeforeJoinTest {
    @TempDir
    Path dir;

    @Test
    void aSearchBeforeTheJoinWaitsForItAndThenFindsTheShare() throws Exception {
        Path file = RandomFiles.write(dir.resolve("Harbour Lights 1962.mkv"), 20_000, 3);
        Manifest manifest = Manifest.ofFile(file, file.getFileName().toString());
        try (LoopbackDhts dhts = new LoopbackDhts()) {
            Dht seed = dhts.open(21);
            Dht sharer = dhts.open(22);
            Dht searcher = dhts.open(23);
            sharer.bootstrap(List.of(seed.localAddress())).get(10, TimeUnit.SECONDS);
            int published = new KeywordSearch(sharer, peer -> false, CompletableFuture.completedFuture(1))
                    .publish(manifest).get(10, TimeUnit.SECONDS);
            assertTrue(published > 0, "the sharer published its keyword records");

            CompletableFuture<Integer> joined = new CompletableFuture<>();
            CompletableFuture<List<SearchResult>> search = new KeywordSearch(searcher, peer -> false, joined)
                    .search(SearchQuery.parse("harbour lights").orElseThrow());
            // The searcher knows no one yet: a search now would ask no one; it waits for the join instead.
            assertFalse(search.isDone(), "the search waits for the join");

            joined.complete(searcher.bootstrap(List.of(seed.localAddress())).get(10, TimeUnit.SECONDS));
            List<SearchResult> results = search.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(manifest.contentId().toHex()), results.stream().map(SearchResult::contentId).toList());
        }
    }

    /** A join that failed (the seed never answered) still lets the search run, over whatever the node knows. */
    @Test
    void aFailedJoinStillLetsTheSearchRun() throws Exception {
        try (LoopbackDhts dhts = new LoopbackDhts()) {
            Dht lonely = dhts.open(24);
            CompletableFuture<Integer> joined = new CompletableFuture<>();
            CompletableFuture<List<SearchResult>> search = new KeywordSearch(lonely, peer -> false, joined)
                    .search(SearchQuery.parse("anything").orElseThrow());
            assertFalse(search.isDone(), "the search waits for the join");
            joined.completeExceptionally(new IOException("no seed answered"));
            assertEquals(List.of(), search.get(30, TimeUnit.SECONDS));
        }
    }
}
