package dev.kadshare.simulation.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.dht.lookup.Lookup;
import dev.kadshare.simulation.report.AttackReport;
import dev.kadshare.simulation.virtual.VirtualCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The attack scenario at a size CI affords: the real DHT against adversaries, each attack measured. */
class AttackScenarioTest {
    @Test
    void withBoundIdsHonestAnnouncersAndRecordsStayFindableUnderLiesAndAFlood() {
        AttackSettings settings = new AttackSettings(200, 0.2, AttackSettings.Placement.RANDOM, 10, 100, 10, 3, 300, 4096,
                20, 7, Duration.ofSeconds(600));
        AttackReport report;
        try (VirtualCluster cluster = new VirtualCluster(7, 50, 0.5, 0)) {
            report = AttackScenario.run(cluster, settings);
        }
        assertEquals(200, report.joined());
        assertEquals(40, report.adversaries());
        // Liars answer every lookup with colluders and keep no store; most lookups still reach an honest holder.
        assertTrue(report.eclipse().successRate() >= 0.75, report.eclipse().toString());
        assertTrue(report.eclipse().rpcsPerLookup().max() <= Lookup.Bounds.DEFAULT.maxQueries(), "within the RPC bound");
        // Three flooding IPs, each putting more records per key than a source may keep, and liars on the way.
        assertEquals(3, report.flood().flooders());
        assertTrue(report.flood().recordSuccessRate() >= 0.75, report.flood().toString());
        assertTrue(report.flood().attackerStoreShare() > 0 && report.flood().evicted() > 0, report.flood().toString());
        // The spoofed requests reached honest nodes and their answers went to the victim: both sides counted.
        assertTrue(report.spoof().bytesIn() >= 300 * 40 && report.spoof().bytesOut() > 0, report.spoof().toString());
    }
}
