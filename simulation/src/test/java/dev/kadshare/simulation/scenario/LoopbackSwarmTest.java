package dev.kadshare.simulation.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.simulation.report.KumarRoss;
import dev.kadshare.simulation.report.SwarmReport;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LoopbackSwarmTest {
    private static final long MIB = 1 << 20;

    /**
     * Sixteen real nodes fetch 8 MiB (8 chunks) from one seeder through the DHT and the transfer swarm; the
     * scenario itself fails unless every copy equals the seed byte for byte. Speed is measured, not asserted,
     * on a shared machine: only that nobody beat the bound, which no real run can (bar the token buckets'
     * quarter-second burst, small against a 4 s bound).
     */
    @Test
    void sixteenRealDownloadersEachGetAnExactCopy() {
        LoopbackSwarmSettings settings = new LoopbackSwarmSettings(16, 8 * MIB, 2 * MIB, 2 * MIB, 8 * MIB, 2, 5,
                Duration.ofSeconds(90));
        SwarmReport report = LoopbackSwarmScenario.run(settings);
        assertEquals("loopback", report.mode());
        assertEquals(16, report.nodes());
        assertEquals(8 * MIB, report.fileBytes());
        assertEquals(16, report.completionSeconds().length);
        assertTrue(Arrays.stream(report.completionSeconds()).allMatch(s -> s > 0 && Double.isFinite(s)),
                Arrays.toString(report.completionSeconds()));
        assertEquals(KumarRoss.boundSeconds(8 * MIB, 16, 2 * MIB, 16 * 2 * MIB, 8 * MIB), report.boundSeconds(), 1e-9);
        assertTrue(Double.isFinite(report.boundRatio()) && report.boundRatio() >= 1, "ratio " + report.boundRatio());
        assertTrue(report.cost().wallSeconds() > 0);
        System.out.printf("loopback swarm: median %.2f s, max %.2f s, bound %.2f s, ratio %.3f, wall %.1f s%n",
                report.completion().median(), report.completion().max(), report.boundSeconds(), report.boundRatio(),
                report.cost().wallSeconds());
    }
}
