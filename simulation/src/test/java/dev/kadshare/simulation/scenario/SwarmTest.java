package dev.kadshare.simulation.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.simulation.report.SwarmReport;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SwarmTest {
    private static final double MBPS = 125_000;

    /**
     * A seeder fast enough to feed everyone at full download speed: the bound is F/d_min, and the real
     * Swarm's pipelining must get within 1.2 of it. (At 50 Mbit/s downloads the Swarm's fixed 8 requests
     * in flight per peer no longer cover the bandwidth-delay product of the slowest links.)
     */
    @Test
    void hundredDownloadersFromAStrongSeederFinishWithinTheBound() {
        SwarmReport report = SwarmScenario.run(new SwarmSettings(100, 16 << 20, 256 << 10, 5000 * MBPS, 10 * MBPS,
                20 * MBPS, 40, 8, 3, 50, 0.5));
        assertEquals(100, report.completionSeconds().length);
        assertEquals((16 << 20) / (20 * MBPS), report.boundSeconds(), 1e-9);
        assertTrue(report.boundRatio() >= 1.0, "beat the bound: the model leaks capacity " + report.boundRatio());
        assertTrue(report.boundRatio() <= 1.2, "ratio " + report.boundRatio());
    }

    /**
     * Homogeneous capacities: with today's Swarm a downloader serves only once it is complete, so the
     * seeder carries nearly everything. Every downloader still finishes, and never faster than the bound.
     */
    @Test
    void homogeneousSwarmCompletesAndRespectsTheBound() {
        SwarmReport report = SwarmScenario.run(new SwarmSettings(100, 4 << 20, 256 << 10, 10 * MBPS, 10 * MBPS,
                50 * MBPS, 40, 8, 4, 50, 0.5));
        assertTrue(Arrays.stream(report.completionSeconds()).allMatch(Double::isFinite), "a downloader never finished");
        assertTrue(report.boundRatio() >= 1.0, "beat the bound: the model leaks capacity " + report.boundRatio());
    }
}
