package dev.kadshare.node.search;

import dev.kadshare.dht.Dht;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.node.link.MagnetLink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** Publishes a content's name keywords in the DHT and answers searches by looking every word up. */
public final class KeywordSearch {
    private final Dht dht;

    public KeywordSearch(Dht dht) {
        this.dht = dht;
    }

    /** Stores a record under each keyword of the name; completes with how many keywords were published. */
    public CompletableFuture<Integer> publish(KeywordRecord record) {
        List<String> words = Keywords.of(record.name());
        byte[] value = record.encode();
        CompletableFuture<?>[] puts = words.stream()
                .map(word -> dht.put(NodeId.of(Keywords.key(word)), value))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(puts).thenApply(ignored -> words.size());
    }

    /**
     * Stops renewing a removed content's keyword records. The DHT renews per key, so records of other
     * contents under the same words are published again.
     */
    public void withdraw(KeywordRecord removed, java.util.Collection<KeywordRecord> remaining) {
        List<String> words = Keywords.of(removed.name());
        words.forEach(word -> dht.withdraw(NodeId.of(Keywords.key(word))));
        remaining.stream()
                .filter(r -> Keywords.of(r.name()).stream().anyMatch(words::contains))
                .forEach(this::publish);
    }

    /**
     * Looks up each word and returns the contents whose names contain them, most words matched first (then by
     * name). A record is counted for a word only if its name really contains that word, so stray records under
     * a key cannot rank.
     */
    public CompletableFuture<List<SearchResult>> search(String query) {
        List<String> words = Keywords.of(query);
        if (words.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("no searchable words in '" + query + "' (words of 2+ letters, not stop-words)"));
        }
        List<CompletableFuture<List<byte[]>>> lookups = words.stream()
                .map(word -> dht.get(NodeId.of(Keywords.key(word))))
                .toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Map<String, KeywordRecord> records = new LinkedHashMap<>();
            Map<String, TreeSet<String>> matched = new LinkedHashMap<>();
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                for (byte[] value : lookups.get(i).join()) {
                    KeywordRecord.decode(value).filter(r -> Keywords.of(r.name()).contains(word)).ifPresent(r -> {
                        String id = r.contentId().toHex();
                        records.putIfAbsent(id, r);
                        matched.computeIfAbsent(id, k -> new TreeSet<>()).add(word);
                    });
                }
            }
            List<SearchResult> results = new ArrayList<>();
            records.forEach((id, r) -> results.add(new SearchResult(id, r.name(), r.size(),
                    MagnetLink.of(r.contentId(), r.name(), r.size()).format(), List.copyOf(matched.get(id)))));
            results.sort(Comparator.comparingInt((SearchResult r) -> -r.matched().size())
                    .thenComparing(SearchResult::name).thenComparing(SearchResult::contentId));
            return results;
        });
    }
}
