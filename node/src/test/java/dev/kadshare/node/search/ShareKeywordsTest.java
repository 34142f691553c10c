package dev.kadshare.node.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.ContentFile;
import dev.kadshare.transfer.content.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShareKeywordsTest {
    private static Manifest directory(String name, List<String> paths) {
        List<ContentFile> files = new ArrayList<>();
        paths.forEach(p -> files.add(new ContentFile(p, 0)));
        return Manifest.ofFiles(name, files, 1024, List.of());
    }

    @Test
    void theNamesWordsThenTheFilesWordsEachUnderItsPrefixAndItself() {
        Manifest share = directory("Holiday 2024", List.of("beach/Sunset.jpg", "holiday-map.png"));
        Map<String, KeywordRecord> records = ShareKeywords.of(share);
        assertEquals(List.of("hol", "holiday", "202", "2024", "bea", "beach", "sun", "sunset", "jpg", "map", "png"),
                List.copyOf(records.keySet()));
        assertEquals(Optional.empty(), records.get("holiday").file(), "the name's own words point at the share");
        assertEquals(Optional.of("beach/Sunset.jpg"), records.get("sun").file());
        assertEquals(Optional.of("holiday-map.png"), records.get("map").file());
        assertTrue(records.values().stream().allMatch(r -> r.contentId().equals(share.contentId())));
    }

    @Test
    void aHundredThousandFilesPublishNoMoreThanTheBound() {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            paths.add(String.format("dir%05d/photo%05d.jpg", i / 100, i));
        }
        Map<String, KeywordRecord> records = ShareKeywords.of(directory("Huge", paths));
        assertTrue(records.size() <= ShareKeywords.MAX_RECORDS, records.size() + " records");
        assertTrue(records.containsKey("huge"), "the share's name comes first");
        assertTrue(records.values().stream().allMatch(r -> r.encode().length <= 1024));
    }
}
