package dev.kadshare.node.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path of the control API, such as {@code /v1/transfers/{id}/pause}: literal segments and named ones; a last
 * segment {@code {name...}} takes the rest of the path (one segment or more, joined with {@code /}).
 */
public record PathPattern(String pattern, List<String> segments) {
    public PathPattern {
        segments = List.copyOf(segments);
    }

    public static PathPattern of(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a path pattern starts with /: " + pattern);
        }
        return new PathPattern(pattern, List.of(pattern.substring(1).split("/", -1)));
    }

    /** The named segments' values if {@code path} has this shape, else empty. */
    public Optional<Map<String, String>> match(String path) {
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        String[] parts = path.substring(1).split("/", -1);
        String lastSegment = segments.get(segments.size() - 1);
        boolean rest = lastSegment.startsWith("{") && lastSegment.endsWith("...}");
        if (rest ? parts.length < segments.size() : parts.length != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        if (rest) {
            String joined = String.join("/", List.of(parts).subList(segments.size() - 1, parts.length));
            if (joined.isEmpty()) {
                return Optional.empty();
            }
            values.put(lastSegment.substring(1, lastSegment.length() - 4), joined);
        }
        for (int i = 0; i < (rest ? segments.size() - 1 : parts.length); i++) {
            String segment = segments.get(i);
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return Optional.empty();
                }
                values.put(segment.substring(1, segment.length() - 1), parts[i]);
            } else if (!segment.equals(parts[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(Map.copyOf(values));
    }
}
