package dev.kadshare.node.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.ContentId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeywordsTest {
    private static ContentId id() {
        byte[] id = new byte[32];
        new SplittableRandom(1).nextBytes(id);
        return ContentId.of(id);
    }

    @Test
    void splitsOnNonLettersAndDigitsFoldsCaseAndAccentsAndSkipsStopAndOneLetterWords() {
        assertEquals(List.of("ubuntu", "24", "04", "desktop", "amd64", "iso"), Keywords.of("Ubuntu-24.04_Desktop (amd64).ISO"));
        assertEquals(List.of("lord", "rings", "return", "king"), Keywords.of("The Lord of the Rings - a Return of the King"));
        assertEquals(List.of("ubung", "straße"), Keywords.of("Übung & Straße x"));
        assertEquals(List.of("cafe", "del", "mar"), Keywords.of("Café del Mar"));
        assertEquals(List.of("holiday"), Keywords.of("ＨＯＬＩＤＡＹ"), "full-width letters fold to plain ones");
        assertEquals(List.of("naive", "resume"), Keywords.of("naïve RÉSUMÉ"));
        assertEquals(List.of(), Keywords.of("a - b . c"));
    }

    @Test
    void atMostEightWordsAndNoRepeats() {
        List<String> words = Keywords.of("one two three four five six seven eight nine ten one");
        assertEquals(8, words.size());
        assertEquals(List.of("one", "two", "three", "four", "five", "six", "seven", "eight"), words);
        assertEquals(10, Keywords.all("one two three four five six seven eight nine ten one").size());
        assertEquals(List.of("echo"), Keywords.of("echo ECHO Echo Écho"));
    }

    @Test
    void aWordIsPublishedUnderItsPrefixAndItself() {
        assertEquals(List.of("hol", "holiday"), Keywords.keywordsOf("holiday"));
        assertEquals(List.of("hol"), Keywords.keywordsOf("hol"));
        assertEquals(List.of("24"), Keywords.keywordsOf("24"));
        assertEquals(List.of("日本語", "日本語です"), Keywords.keywordsOf("日本語です"), "prefixes count letters, not bytes");
    }

    @Test
    void aQueryWordMatchesWordsItStartsWithIgnoringCaseAndAccents() {
        assertTrue(Keywords.matches("Holiday Video 2026.mp4", "holi"));
        assertTrue(Keywords.matches("Café del Mar.flac", "cafe"));
        assertTrue(Keywords.matches("CAFE", "caf"));
        assertFalse(Keywords.matches("Holiday", "oliday"), "a prefix, not any substring");
        assertFalse(Keywords.matches("Holiday", "holidays"));
    }

    @Test
    void keysDifferPerKeyword() {
        assertFalse(Arrays.equals(Keywords.key("linux"), Keywords.key("linus")));
        assertEquals(32, Keywords.key("linux").length);
    }

    @Test
    void recordsRoundTripAndStayUnderTheDhtValueLimit() {
        KeywordRecord record = KeywordRecord.ofShare(id(), "Ünïcode name.mkv", 123_456_789L);
        assertEquals(record, KeywordRecord.decode(record.encode()).orElseThrow());
        KeywordRecord inside = new KeywordRecord(id(), "Photos", 5, Optional.of("2024/beach/sunset.jpg"));
        assertEquals(inside, KeywordRecord.decode(inside.encode()).orElseThrow());
        assertEquals("Photos 2024/beach/sunset.jpg", inside.text());

        KeywordRecord huge = new KeywordRecord(id(), "é".repeat(2000), 1, Optional.of("ü".repeat(3000) + "/end.txt"));
        byte[] encoded = huge.encode();
        assertTrue(encoded.length <= 1024, "fits a DHT record: " + encoded.length);
        KeywordRecord stored = KeywordRecord.decode(encoded).orElseThrow();
        assertTrue(stored.name().chars().allMatch(c -> c == 'é'), "cut on a character boundary");
        assertTrue(stored.file().orElseThrow().endsWith("ü/end.txt"), "a path keeps its end, where the file's name is");
    }

    @Test
    void malformedRecordsAreIgnored() {
        byte[] good = KeywordRecord.ofShare(ContentId.of(new byte[32]), "name", 5).encode();
        assertTrue(KeywordRecord.decode(new byte[0]).isEmpty());
        assertTrue(KeywordRecord.decode(Arrays.copyOf(good, good.length - 1)).isEmpty(), "truncated");
        assertTrue(KeywordRecord.decode(Arrays.copyOf(good, good.length + 1)).isEmpty(), "trailing bytes");
        byte[] badVersion = good.clone();
        badVersion[0] = 9;
        assertTrue(KeywordRecord.decode(badVersion).isEmpty());
        byte[] negativeSize = good.clone();
        negativeSize[33] = (byte) 0x80;
        assertTrue(KeywordRecord.decode(negativeSize).isEmpty());
        byte[] longerThanItIs = good.clone();
        longerThanItIs[42] = 100; // the name's length
        assertTrue(KeywordRecord.decode(longerThanItIs).isEmpty());
        assertArrayEquals(good, KeywordRecord.decode(good).orElseThrow().encode());
    }
}
