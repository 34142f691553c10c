package dev.kadshare.simulation.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.simulation.loopback.LoopbackCluster;
import dev.kadshare.simulation.report.LookupReport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoopbackLookupTest {
    @Test
    void twoHundredRealNodesOnLoopbackFindEveryHolder() {
        LookupSettings settings = new LookupSettings(200, 30, 300, 16, 20, 7, Duration.ofSeconds(90));
        LookupReport report;
        try (LoopbackCluster cluster = new LoopbackCluster(2, 7)) {
            report = LookupScenario.run(cluster, settings);
        }
        assertEquals("loopback", report.mode());
        assertEquals(300, report.samples().size());
        assertTrue(report.successRate() >= 0.99, "success " + report.successRate());
        assertTrue(report.rpcsPerLookup().median() >= 3, "rpcs " + report.rpcsPerLookup());
    }
}
