package dev.kadshare.node.search;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words of a name as the keyword index sees them, and the DHT keys they are published and looked up
 * under. Words are compared without case and accents ("Café" is "cafe"). A word is published under its
 * first {@value #PREFIX_LENGTH} letters (the prefix key, which is what makes prefix search possible through
 * a DHT that only finds exact keys) and, if longer, under itself (the word key, which still finds it when
 * a common prefix's key is crowded).
 */
public final class Keywords {
    /** At most this many words per name, so one name cannot flood the DHT. */
    public static final int MAX_PER_NAME = 8;
    /** Letters of a word that its prefix key holds; a query word matches as a prefix from this length on. */
    public static final int PREFIX_LENGTH = 3;
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or",
            "the", "to", "with", "der", "die", "das", "und", "le", "la", "les", "et", "el", "los", "y");

    private Keywords() {}

    /** {@link #all} of {@code text}, at most {@link #MAX_PER_NAME}: what one name publishes, or one query looks up. */
    public static List<String> of(String text) {
        List<String> words = all(text);
        return words.size() <= MAX_PER_NAME ? words : words.subList(0, MAX_PER_NAME);
    }

    /**
     * Every distinct word of {@code text} in order: case and accents folded (NFKD, combining marks dropped),
     * split on anything but letters and digits, stop-words and one-letter words left out.
     */
    public static List<String> all(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : SEPARATORS.split(fold(text))) {
            if (word.codePointCount(0, word.length()) > 1 && !STOP_WORDS.contains(word)) {
                words.add(word);
            }
        }
        return List.copyOf(words);
    }

    /** Lower case without accents: "Café" becomes "cafe", "Ｈｏｌｉｄａｙ" (full width) "holiday". */
    static String fold(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        return COMBINING_MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
    }

    /** True if some word of {@code text} starts with {@code word} (a word as {@link #all} gives it). */
    public static boolean matches(String text, String word) {
        return all(text).stream().anyMatch(w -> w.startsWith(word));
    }

    /**
     * The keywords a word is published under, and looked up under as a query word: its prefix and, if it is
     * longer, the word itself. A query word finds every published word it is a prefix of through the prefix
     * key (then matched locally); one shorter than the prefix finds whole words only.
     */
    public static List<String> keywordsOf(String word) {
        String prefix = prefix(word);
        return prefix.equals(word) ? List.of(word) : List.of(prefix, word);
    }

    private static String prefix(String word) {
        return word.codePointCount(0, word.length()) <= PREFIX_LENGTH
                ? word
                : word.substring(0, word.offsetByCodePoints(0, PREFIX_LENGTH));
    }

    /** The DHT key of a prefix or word key; the prefix keeps keyword keys apart from content ids. */
    public static byte[] key(String keyword) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("kadshare-keyword:" + keyword).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
