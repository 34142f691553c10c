package dev.kadshare.node.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RangeRequestTest {
    private static RangeRequest of(String header) {
        return RangeRequest.of(Optional.ofNullable(header), 1000);
    }

    @Test
    void singleRangesAsRfc9110ReadsThem() {
        assertEquals(new RangeRequest.Part(0, 0), of("bytes=0-0"));
        assertEquals(new RangeRequest.Part(100, 999), of("bytes=100-"));
        assertEquals(new RangeRequest.Part(100, 999), of("bytes=100-5000"), "the end is cut to the length");
        assertEquals(new RangeRequest.Part(900, 999), of("bytes=-100"));
        assertEquals(new RangeRequest.Part(0, 999), of("bytes=-5000"), "a suffix longer than the file is all of it");
        assertEquals(new RangeRequest.Part(5, 9), of(" BYTES=5-9 "));
    }

    @Test
    void whatStartsPastTheEndIsUnsatisfiable() {
        assertEquals(new RangeRequest.Unsatisfiable(), of("bytes=1000-"));
        assertEquals(new RangeRequest.Unsatisfiable(), of("bytes=5000-6000"));
        assertEquals(new RangeRequest.Unsatisfiable(), of("bytes=-0"));
        assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.of(Optional.of("bytes=0-"), 0));
    }

    @Test
    void whatDoesNotParseOrAsksForSeveralRangesIsIgnored() {
        for (String h : new String[] {null, "", "bytes=", "bytes=5-2", "bytes=a-b", "items=0-5", "bytes=0-1,5-6",
                "bytes=-", "bytes=1-2-3", "bytes=99999999999999999999-", "bytes=+1-2"}) {
            assertEquals(new RangeRequest.Whole(), of(h), String.valueOf(h));
        }
    }

    @Test
    void streamKeysOpenTheirOwnContentOnly() {
        StreamKeys keys = new StreamKeys("token".getBytes(StandardCharsets.US_ASCII));
        String a = "ab".repeat(32);
        String b = "cd".repeat(32);
        assertEquals(64, keys.keyOf(a).length());
        assertTrue(keys.opens(a, keys.keyOf(a)));
        assertFalse(keys.opens(b, keys.keyOf(a)));
        assertNotEquals(keys.keyOf(a), new StreamKeys("other".getBytes(StandardCharsets.US_ASCII)).keyOf(a),
                "another token, other keys");
    }
}
