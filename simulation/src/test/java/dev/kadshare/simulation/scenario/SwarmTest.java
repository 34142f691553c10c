package dev.kadshare.simulation.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.simulation.report.SwarmReport;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SwarmTest {
    private static final double MBPS = 125_000;
    private static final long FILE = 64L << 20;

    /**
     * Downloaders at 10 Mbit/s up, 50 down, and a seeder four times faster: with rarest-first and HAVE
     * the downloaders carry most of the traffic, and the last one finishes within 1.2 of the bound.
     */
    @Test
    void hundredDownloadersFinishWithinTheBound() {
        SwarmReport report = SwarmScenario.run(new SwarmSettings(100, FILE, 256 << 10, 40 * MBPS, 10 * MBPS,
                50 * MBPS, 40, 8, 3, 50, 0.5));
        assertEquals(100, report.completionSeconds().length);
        assertEquals(100 * FILE / ((40 + 100 * 10) * MBPS), report.boundSeconds(), 1e-9);
        assertTrue(report.boundRatio() >= 1.0, "beat the bound: the model leaks capacity " + report.boundRatio());
        assertTrue(report.boundRatio() <= 1.2, "ratio " + report.boundRatio());
    }

    /**
     * Fully homogeneous (the seeder no faster than anyone): every downloader finishes, never faster than
     * the bound, and far faster than the seeder alone could serve them (ratio ~N), so downloaders do serve
     * each other. It stays near 2: the seeder sends most chunks about twice before they spread.
     */
    @Test
    void homogeneousSwarmSpreadsThroughTheDownloaders() {
        SwarmReport report = SwarmScenario.run(new SwarmSettings(100, FILE, 256 << 10, 10 * MBPS, 10 * MBPS,
                50 * MBPS, 40, 8, 4, 50, 0.5));
        assertTrue(Arrays.stream(report.completionSeconds()).allMatch(Double::isFinite), "a downloader never finished");
        assertTrue(report.boundRatio() >= 1.0, "beat the bound: the model leaks capacity " + report.boundRatio());
        assertTrue(report.boundRatio() < 3, "ratio " + report.boundRatio());
    }
}
