package dev.kadshare.node.search;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The words of a content name that the keyword index publishes, and the DHT key each is stored under. */
public final class Keywords {
    /** At most this many words per name, so one share cannot flood the DHT. */
    public static final int MAX_PER_NAME = 8;
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or",
            "the", "to", "with", "der", "die", "das", "und", "le", "la", "les", "et", "el", "los", "y");

    private Keywords() {}

    /** Lower-cased words of {@code text}, split on anything but letters and digits, stop-words and one-letter words left out. */
    public static List<String> of(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.codePointCount(0, word.length()) > 1 && !STOP_WORDS.contains(word)) {
                words.add(word);
                if (words.size() == MAX_PER_NAME) {
                    break;
                }
            }
        }
        return List.copyOf(words);
    }

    /** The DHT key a word's records live under; the prefix keeps keyword keys apart from content ids. */
    public static byte[] key(String word) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("kadshare-keyword:" + word).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
