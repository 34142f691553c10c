package dev.kadshare.node.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.Publisher;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.transfer.content.ContentId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What several independent publishers agree on ranks above what one claims, and names a share. */
class KeywordRankingTest {
    private static final NodeId KEY = NodeId.of(Keywords.key("ubuntu"));

    private static Publisher publisher(int n) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) n);
        return Publisher.fromSeed(seed);
    }

    private static ContentId content(int n) {
        byte[] id = new byte[32];
        Arrays.fill(id, (byte) n);
        return ContentId.of(id);
    }

    private static RecordValue record(int publisher, ContentId id, String name) {
        return RecordValue.sign(publisher(publisher), KEY, id.bytes(), 1, KeywordRecord.ofShare(id, name, 1000).encode());
    }

    @Test
    void agreementOfIndependentPublishersOutranksOneClaim() {
        ContentId honest = content(1);
        ContentId claimed = content(2);
        List<RecordValue> found = new ArrayList<>();
        // One publisher claims its content is "ubuntu" (and its name sorts first); three publish the real one, one
        // of them under a name of its own.
        found.add(record(9, claimed, "a ubuntu"));
        found.add(record(1, honest, "ubuntu"));
        found.add(record(2, honest, "ubuntu"));
        found.add(record(3, honest, "ubuntu fake name"));
        // The same publisher twice is one publisher.
        found.add(RecordValue.sign(publisher(9), KEY, claimed.bytes(), 2, KeywordRecord.ofShare(claimed, "a ubuntu", 1000).encode()));

        List<SearchResult> ranked = KeywordSearch.rank(SearchQuery.parse("ubuntu").orElseThrow(), found);
        assertEquals(List.of(honest.toHex(), claimed.toHex()), ranked.stream().map(SearchResult::contentId).toList());
        assertEquals(List.of(3, 1), ranked.stream().map(SearchResult::publishers).toList());
        assertEquals("ubuntu", ranked.get(0).name(), "the name most publishers gave");
    }
}
