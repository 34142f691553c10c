package dev.kadshare.node.search;

import dev.kadshare.dht.Dht;
import dev.kadshare.dht.LookupResult;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Publishes the keyword records of shares in the DHT ({@link ShareKeywords}) and answers searches: each query
 * word is looked up under its keywords, the records found are matched locally (a record counts for a word if
 * a word of its name or file path starts with it), grouped per share and ranked; then the peers holding each
 * of the best hits are counted with a GET_PEERS lookup.
 */
public final class KeywordSearch {
    /** Hits whose peers are counted, best first; the others show no count. */
    static final int MAX_COUNTED_HITS = 10;
    /** How long the peer counts may take, all together (they run at once). */
    static final Duration COUNT_TIMEOUT = Duration.ofSeconds(5);

    private final Dht dht;
    private final Predicate<InetSocketAddress> isSelf;
    private final CompletionStage<?> joined;

    /**
     * {@code isSelf} tells our own announced address apart, so a node never counts itself as a peer; searches wait for
     * {@code joined}, the node's join, whatever its outcome.
     */
    public KeywordSearch(Dht dht, Predicate<InetSocketAddress> isSelf, CompletionStage<?> joined) {
        this.dht = dht;
        this.isSelf = isSelf;
        this.joined = joined;
    }

    /** Stores the share's records under their keywords; completes with how many keywords were published. */
    public CompletableFuture<Integer> publish(Manifest manifest) {
        Map<String, KeywordRecord> records = ShareKeywords.of(manifest);
        CompletableFuture<?>[] puts = records.entrySet().stream()
                .map(e -> put(e.getKey(), e.getValue()))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(puts).thenApply(ignored -> records.size());
    }

    /**
     * Stops renewing a removed share's records. The DHT renews per key, so the records other shares keep
     * under the same keywords are published again.
     */
    public void withdraw(Manifest removed, Collection<Manifest> remaining) {
        Set<String> keywords = ShareKeywords.of(removed).keySet();
        keywords.forEach(keyword -> dht.withdraw(NodeId.of(Keywords.key(keyword))));
        for (Manifest other : remaining) {
            ShareKeywords.of(other).forEach((keyword, record) -> {
                if (keywords.contains(keyword)) {
                    put(keyword, record);
                }
            });
        }
    }

    /** Our signed record of a share under a keyword: one per share (its content id is the salt), replaced by a newer one. */
    private CompletableFuture<Integer> put(String keyword, KeywordRecord record) {
        return dht.put(NodeId.of(Keywords.key(keyword)), record.contentId().bytes(), record.encode());
    }

    /**
     * Looks up each word under its keywords and returns the shares whose records match, most words matched
     * first, then what the most independent publishers (signing keys) agree on above what fewer claim, then the most
     * peers, then by name; records under a keyword that do not really match a word (stray or forged ones) do not count,
     * and the DHT has already dropped any whose signature does not hold. A search asked for before the node's join is
     * over (one typed right after the daemon starts) waits for it: before, its lookups would ask no one and find nothing.
     */
    public CompletableFuture<List<SearchResult>> search(SearchQuery query) {
        return joined.handle((size, failure) -> query).toCompletableFuture().thenCompose(this::searchNow);
    }

    private CompletableFuture<List<SearchResult>> searchNow(SearchQuery query) {
        Set<String> keywords = new LinkedHashSet<>();
        query.words().forEach(word -> keywords.addAll(Keywords.keywordsOf(word)));
        List<CompletableFuture<List<RecordValue>>> lookups = keywords.stream()
                .map(keyword -> dht.getRecords(NodeId.of(Keywords.key(keyword))))
                .toList();
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> rank(query, lookups.stream().flatMap(l -> l.join().stream()).toList()))
                .thenCompose(this::countPeers);
    }

    static List<SearchResult> rank(SearchQuery query, List<RecordValue> signed) {
        Map<ContentId, KeywordRecord> shares = new LinkedHashMap<>();
        Map<ContentId, TreeSet<String>> matched = new LinkedHashMap<>();
        Map<ContentId, TreeSet<String>> files = new LinkedHashMap<>();
        Map<ContentId, Set<String>> publishers = new LinkedHashMap<>();
        // Per share, who published each (name, size): the one most publishers agree on names the share.
        Map<ContentId, Map<KeywordRecord, Set<String>>> claims = new LinkedHashMap<>();
        for (RecordValue value : signed) {
            KeywordRecord record = KeywordRecord.decode(value.value()).orElse(null);
            if (record == null) {
                continue;
            }
            String publisher = HexFormat.of().formatHex(value.publicKey());
            List<String> words = query.words().stream().filter(w -> Keywords.matches(record.text(), w)).toList();
            if (words.isEmpty()) {
                continue;
            }
            ContentId id = record.contentId();
            publishers.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(publisher);
            claims.computeIfAbsent(id, k -> new LinkedHashMap<>())
                    .computeIfAbsent(KeywordRecord.ofShare(id, record.name(), record.size()), k -> new LinkedHashSet<>())
                    .add(publisher);
            shares.putIfAbsent(id, record);
            matched.computeIfAbsent(id, k -> new TreeSet<>()).addAll(words);
            TreeSet<String> paths = files.computeIfAbsent(id, k -> new TreeSet<>());
            record.file().ifPresent(paths::add);
        }
        List<SearchResult> results = new ArrayList<>();
        shares.forEach((id, first) -> {
            KeywordRecord r = claims.get(id).entrySet().stream()
                    .max(Comparator.comparingInt((Map.Entry<KeywordRecord, Set<String>> e) -> e.getValue().size()))
                    .map(Map.Entry::getKey).orElse(first);
            results.add(new SearchResult(id.toHex(), r.name(), r.size(), MagnetLink.of(id, r.name(), r.size()).format(),
                    List.copyOf(matched.get(id)), List.copyOf(files.get(id)), publishers.get(id).size(), null));
        });
        results.sort(BY_RANK);
        return results;
    }

    private static final Comparator<SearchResult> BY_RANK = Comparator
            .comparingInt((SearchResult r) -> -r.matched().size())
            .thenComparingInt(r -> -r.publishers())
            .thenComparing(SearchResult::peers, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(SearchResult::name)
            .thenComparing(SearchResult::contentId);

    /** Counts the holders of the best hits at once, each bounded in time; a hit not counted keeps no count. */
    private CompletableFuture<List<SearchResult>> countPeers(List<SearchResult> ranked) {
        List<CompletableFuture<SearchResult>> counted = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            SearchResult hit = ranked.get(i);
            if (i >= MAX_COUNTED_HITS) {
                counted.add(CompletableFuture.completedFuture(hit));
                continue;
            }
            counted.add(dht.lookupPeers(NodeId.of(ContentId.fromHex(hit.contentId()).bytes()))
                    .thenApply(found -> hit.withPeers(holders(found)))
                    .completeOnTimeout(hit, COUNT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(failure -> hit));
        }
        return CompletableFuture.allOf(counted.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<SearchResult> results = new ArrayList<>(counted.stream().map(CompletableFuture::join).toList());
            results.sort(BY_RANK);
            return results;
        });
    }

    private int holders(LookupResult found) {
        return (int) found.peers().stream().filter(isSelf.negate()).count();
    }
}
