package dev.kadshare.simulation.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.simulation.cluster.SimNode;
import dev.kadshare.simulation.report.LookupReport;
import dev.kadshare.simulation.virtual.VirtualCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChurnTest {
    @Test
    void lookupsFindHoldersUnderDefaultChurn() {
        LookupSettings lookup = new LookupSettings(300, 20, 200, 32, 20, 5, Duration.ofMinutes(10));
        ChurnSettings churn = new ChurnSettings(lookup, Duration.ofMinutes(15), 0.5, Duration.ofMinutes(20));
        LookupReport report;
        try (VirtualCluster cluster = new VirtualCluster(5, 50, 0.5, 0)) {
            report = ChurnScenario.run(cluster, churn);
            // With shape 0.5 and median 20 min, about a third of 300 sessions end within 15 minutes.
            assertEquals(300, cluster.nodes().size());
            // Hosts are numbered as they start and never reused, so the newest live one counts the starts.
            int started = 1 + cluster.nodes().stream().mapToInt(SimNode::id).max().orElseThrow();
            assertTrue(started > 360, "only " + (started - 300) + " departures");
        }
        assertEquals("churn", report.scenario());
        assertEquals(200, report.samples().size());
        assertTrue(report.successRate() >= 0.995, "success " + report.successRate());
        // Adaptive timeouts move a departed contact's slot on after a few round trips, not after 2 s.
        assertTrue(report.latencyMs().median() <= 1500 && report.latencyMs().p95() <= 3000, "latency " + report.latencyMs());
    }
}
