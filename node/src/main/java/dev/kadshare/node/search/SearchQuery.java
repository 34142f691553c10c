package dev.kadshare.node.search;

import java.util.List;
import java.util.Optional;

/** A search as the keyword index runs it: the text asked for and its words (folded as names are, at most 8). */
public record SearchQuery(String text, List<String> words) {
    public SearchQuery {
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("a search needs at least one word");
        }
    }

    /** The query for {@code text}, or empty if it holds no searchable word. */
    public static Optional<SearchQuery> parse(String text) {
        List<String> words = Keywords.of(text);
        return words.isEmpty() ? Optional.empty() : Optional.of(new SearchQuery(text, words));
    }

    /** Why {@link #parse} found nothing to search for, as the user is told. */
    public static String noWordsIn(String text) {
        return "no searchable words in '" + text + "' (words of 2+ letters or digits, not stop-words)";
    }
}
