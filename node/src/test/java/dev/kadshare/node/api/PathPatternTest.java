package dev.kadshare.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PathPatternTest {
    @Test
    void aRestSegmentTakesOneSegmentOrMore() {
        PathPattern p = PathPattern.of("/v1/transfers/{id}/content/{path...}");
        assertEquals(Optional.of(Map.of("id", "ab", "path", "a.mkv")), p.match("/v1/transfers/ab/content/a.mkv"));
        assertEquals(Optional.of(Map.of("id", "ab", "path", "dir/sub/a b.mkv")),
                p.match("/v1/transfers/ab/content/dir/sub/a b.mkv"));
        assertEquals(Optional.empty(), p.match("/v1/transfers/ab/content"));
        assertEquals(Optional.empty(), p.match("/v1/transfers/ab/content/"));
        assertEquals(Optional.empty(), p.match("/v1/transfers/ab/other/a.mkv"));
    }

    @Test
    void plainPatternsStillMatchExactly() {
        PathPattern p = PathPattern.of("/v1/transfers/{id}/content");
        assertEquals(Optional.of(Map.of("id", "ab")), p.match("/v1/transfers/ab/content"));
        assertEquals(Optional.empty(), p.match("/v1/transfers/ab/content/x"));
    }
}
