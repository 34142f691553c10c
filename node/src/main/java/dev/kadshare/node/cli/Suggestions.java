package dev.kadshare.node.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** The "did you mean ...?" of a mistyped command or option: the closest known name, if one is close. */
final class Suggestions {
    private static final int MAX_EDITS = 2;
    private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(MAX_EDITS);

    private Suggestions() {}

    /** The known name that {@code typed} is a prefix of, or is at most two edits from (fewer than its length). */
    static Optional<String> closest(String typed, Collection<String> known) {
        Optional<String> prefixOf = known.stream().filter(k -> !typed.isEmpty() && k.startsWith(typed))
                .min(Comparator.comparingInt(String::length));
        if (prefixOf.isPresent()) {
            return prefixOf;
        }
        return known.stream()
                .filter(k -> {
                    int d = DISTANCE.apply(typed, k);
                    return d >= 0 && d < typed.length() && d < k.length();
                })
                .min(Comparator.comparingInt((String k) -> DISTANCE.apply(typed, k)).thenComparing(k -> k));
    }

    /** {@code " (did you mean X?)"}, or nothing. */
    static String didYouMean(String typed, Collection<String> known) {
        return closest(typed, known).map(k -> " (did you mean " + k + "?)").orElse("");
    }
}
