package dev.kadshare.node.stream;

import java.util.Optional;

/**
 * What a {@code Range} header asks of a representation {@code length} bytes long (RFC 9110 section 14): one range
 * of bytes, all of it, or nothing it has. Only single ranges are served; a header with several, or one that does not
 * parse, is ignored as the RFC allows, and the whole representation is sent.
 */
public sealed interface RangeRequest {
    /** No usable Range header: the whole representation, 200. */
    record Whole() implements RangeRequest {}

    /** Bytes {@code first..last}, both included: 206. */
    record Part(long first, long last) implements RangeRequest {
        public long length() {
            return last - first + 1;
        }
    }

    /** A range the representation does not have (it starts at or past the end, or asks for a last 0 bytes): 416. */
    record Unsatisfiable() implements RangeRequest {}

    /** What {@code header} (absent: none sent) asks of {@code length} bytes. */
    static RangeRequest of(Optional<String> header, long length) {
        if (header.isEmpty()) {
            return new Whole();
        }
        String h = header.get().trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return new Whole();
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        Optional<Long> first = digits(a);
        Optional<Long> last = digits(b);
        if (a.isEmpty()) { // bytes=-N: the last N bytes
            if (last.isEmpty()) {
                return new Whole();
            }
            long n = last.get();
            return n == 0 || length == 0 ? new Unsatisfiable() : new Part(Math.max(0, length - n), length - 1);
        }
        if (first.isEmpty() || (!b.isEmpty() && (last.isEmpty() || last.get() < first.get()))) {
            return new Whole(); // not a range the RFC can read: ignored
        }
        if (first.get() >= length) {
            return new Unsatisfiable();
        }
        long end = b.isEmpty() ? length - 1 : Math.min(last.get(), length - 1);
        return new Part(first.get(), end);
    }

    /** A non-negative decimal that fits a long; empty for anything else. */
    private static Optional<Long> digits(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(text));
    }
}
