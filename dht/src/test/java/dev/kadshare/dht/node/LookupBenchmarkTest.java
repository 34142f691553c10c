package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The lookup benchmark at 200 nodes: every lookup must succeed; prints the figures. */
class LookupBenchmarkTest {
    @Test
    void everyLookupSucceedsAt200Nodes() {
        LookupBenchmark.Report report = LookupBenchmark.run(200, 1000, 2026);
        System.out.println(report);
        assertEquals(report.lookups(), report.succeeded(), report::toString);
        assertTrue(LookupBenchmark.percentile(report.hops(), 50) <= 4, report::toString);
    }
}
