package dev.kadshare.node.search;

import dev.kadshare.transfer.content.ContentFile;
import dev.kadshare.transfer.content.Manifest;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keyword records one share publishes: under each keyword of its name, and of the names of the files
 * inside it, a record pointing at the share. Bounded, so a directory of 100,000 files costs the DHT no more
 * than a handful of names: at most {@value #MAX_WORDS} words (the share's name's first, then the files'
 * in manifest order), each under at most two keywords ({@link Keywords#keywordsOf}), and one record per
 * keyword: at most {@value #MAX_RECORDS} records per share, however many files it holds.
 */
public final class ShareKeywords {
    /** Words a share publishes at most. */
    public static final int MAX_WORDS = 32;
    /** Records a share publishes at most: two keywords per word. */
    public static final int MAX_RECORDS = 2 * MAX_WORDS;

    private ShareKeywords() {}

    /** The record each keyword of the share points to, in publishing order. */
    public static Map<String, KeywordRecord> of(Manifest manifest) {
        Map<String, KeywordRecord> byKeyword = new LinkedHashMap<>();
        Set<String> words = new LinkedHashSet<>();
        KeywordRecord share = KeywordRecord.ofShare(manifest.contentId(), manifest.name(), manifest.length());
        add(Keywords.of(manifest.name()), share, words, byKeyword);
        for (ContentFile file : manifest.files()) {
            if (words.size() >= MAX_WORDS) {
                break;
            }
            KeywordRecord inside = new KeywordRecord(manifest.contentId(), manifest.name(), manifest.length(),
                    Optional.of(file.path()));
            add(Keywords.all(file.path()), inside, words, byKeyword);
        }
        return byKeyword;
    }

    /** Adds the words not seen yet, up to the bound; a keyword keeps the first record that claimed it. */
    private static void add(List<String> candidates, KeywordRecord record, Set<String> words,
                            Map<String, KeywordRecord> byKeyword) {
        for (String word : candidates) {
            if (words.size() >= MAX_WORDS) {
                return;
            }
            if (words.add(word)) {
                Keywords.keywordsOf(word).forEach(keyword -> byKeyword.putIfAbsent(keyword, record));
            }
        }
    }
}
