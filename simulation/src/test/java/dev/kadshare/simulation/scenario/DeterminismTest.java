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
