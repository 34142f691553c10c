package dev.kadshare.simulation.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kadshare.simulation.report.JsonReport;
import dev.kadshare.simulation.virtual.VirtualCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeterminismTest {
    @Test
    void sameSeedSameReportApartFromCost() {
        String first = withoutCost(lookup(11));
        String second = withoutCost(lookup(11));
        assertEquals(first, second);
        assertNotEquals(first, withoutCost(lookup(12)));
    }

    /** The swarm too: slot rotations, the seeder's reveals and the downloaders' choices all follow the seed. */
    @Test
    void sameSeedSameSwarmApartFromCost() {
        String first = withoutCost(swarm(5));
        assertEquals(first, withoutCost(swarm(5)));
        assertNotEquals(first, withoutCost(swarm(6)));
    }

    private static String swarm(long seed) {
        return JsonReport.of(SwarmScenario.run(new SwarmSettings(40, 8L << 20, 256 << 10, 1.25e6, 1.25e6, 6.25e6,
                10, SwarmSettings.NODE_IN_FLIGHT, 4, Duration.ofSeconds(1), seed, 50, 0.5)));
    }

    private static String lookup(long seed) {
        try (VirtualCluster cluster = new VirtualCluster(seed, 50, 0.5, 0.01)) {
            return JsonReport.of(LookupScenario.run(cluster,
                    new LookupSettings(300, 20, 200, 32, 20, seed, Duration.ofMinutes(30))));
        }
    }

    static String withoutCost(String json) {
        int cost = json.indexOf(",\"cost\":");
        return json.substring(0, cost);
    }
}
