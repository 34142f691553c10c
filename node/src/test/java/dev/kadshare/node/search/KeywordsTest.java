package dev.kadshare.node.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.ContentId;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeywordsTest {
    @Test
    void splitsOnNonLettersAndDigitsLowerCasesAndSkipsStopAndOneLetterWords() {
        assertEquals(List.of("ubuntu", "24", "04", "desktop", "amd64", "iso"), Keywords.of("Ubuntu-24.04_Desktop (amd64).ISO"));
        assertEquals(List.of("lord", "rings", "return", "king"), Keywords.of("The Lord of the Rings - a Return of the King"));
        assertEquals(List.of("übung", "straße"), Keywords.of("Übung & Straße x"));
        assertEquals(List.of(), Keywords.of("a - b . c"));
    }

    @Test
    void atMostEightWordsAndNoRepeats() {
        List<String> words = Keywords.of("one two three four five six seven eight nine ten one");
        assertEquals(8, words.size());
        assertEquals(List.of("one", "two", "three", "four", "five", "six", "seven", "eight"), words);
        assertEquals(List.of("echo"), Keywords.of("echo ECHO Echo"));
    }

    @Test
    void keysDifferPerWord() {
        assertFalse(Arrays.equals(Keywords.key("linux"), Keywords.key("linus")));
        assertEquals(32, Keywords.key("linux").length);
    }

    @Test
    void recordsRoundTripAndStayUnderTheDhtValueLimit() {
        byte[] id = new byte[32];
        new SplittableRandom(1).nextBytes(id);
        KeywordRecord record = new KeywordRecord(ContentId.of(id), "Ünïcode name.mkv", 123_456_789L);
        assertEquals(record, KeywordRecord.decode(record.encode()).orElseThrow());

        KeywordRecord huge = new KeywordRecord(ContentId.of(id), "é".repeat(2000), 1);
        byte[] encoded = huge.encode();
        assertTrue(encoded.length <= 1024, "fits a DHT record: " + encoded.length);
        String stored = KeywordRecord.decode(encoded).orElseThrow().name();
        assertTrue(stored.chars().allMatch(c -> c == 'é'), "cut on a character boundary");
    }

    @Test
    void malformedRecordsAreIgnored() {
        byte[] id = new byte[32];
        byte[] good = new KeywordRecord(ContentId.of(id), "name", 5).encode();
        assertTrue(KeywordRecord.decode(new byte[0]).isEmpty());
        assertTrue(KeywordRecord.decode(Arrays.copyOf(good, good.length - 1)).isEmpty(), "truncated");
        assertTrue(KeywordRecord.decode(Arrays.copyOf(good, good.length + 1)).isEmpty(), "trailing bytes");
        byte[] badVersion = good.clone();
        badVersion[0] = 9;
        assertTrue(KeywordRecord.decode(badVersion).isEmpty());
        byte[] negativeSize = good.clone();
        negativeSize[33] = (byte) 0x80;
        assertTrue(KeywordRecord.decode(negativeSize).isEmpty());
        assertArrayEquals(good, KeywordRecord.decode(good).orElseThrow().encode());
    }
}
