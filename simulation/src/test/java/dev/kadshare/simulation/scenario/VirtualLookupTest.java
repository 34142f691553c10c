package dev.kadshare.simulation.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.simulation.report.LookupReport;
import dev.kadshare.simulation.virtual.VirtualCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VirtualLookupTest {
    @Test
    void thousandVirtualNodesFindEveryHolder() {
        LookupSettings settings = new LookupSettings(1000, 50, 500, 64, 20, 42, Duration.ofMinutes(30));
        LookupReport report;
        try (VirtualCluster cluster = new VirtualCluster(42, 50, 0.5, 0)) {
            report = LookupScenario.run(cluster, settings);
        }
        assertEquals(500, report.samples().size());
        assertTrue(report.successRate() >= 0.99, "success " + report.successRate());
        assertTrue(report.hops().median() >= 1 && report.hops().max() <= 20, "hops " + report.hops());
        assertTrue(report.rpcsPerLookup().median() >= 3, "rpcs " + report.rpcsPerLookup());
        // Each GET_PEERS is a round trip of two lognormal one-way latencies with median 50 ms.
        assertTrue(report.latencyMs().median() > 100, "latency " + report.latencyMs());
        // A search stops once it has the peers and the alpha closest of all its paths answered: about one round trip
        // per hop.
        assertTrue(report.latencyPerHopRtt().median() <= 1.5, "latency / (hops x rtt) " + report.latencyPerHopRtt());
        assertEquals(1000, report.joined());
    }
}
