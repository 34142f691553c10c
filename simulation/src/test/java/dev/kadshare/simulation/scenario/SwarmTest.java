package dev.kadshare.simulation.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.simulation.report.SwarmReport;
import org.junit.jupiter.api.Test;

class SwarmTest {
    private static final double MBPS = 125_000;
    private static final long FILE = 64L << 20;

    /** With a real node's transfer policy: its pipeline cap, upload slots and slot rotation. */
    private static SwarmReport run(double seederMbps, long seed) {
        return SwarmScenario.run(new SwarmSettings(100, FILE, 256 << 10, seederMbps * MBPS, 10 * MBPS, 50 * MBPS,
                40, SwarmSettings.NODE_IN_FLIGHT, SwarmSettings.NODE_SLOTS, SwarmSettings.NODE_SLOT_ROTATION, seed,
                50, 0.5));
    }

    /**
     * Fully homogeneous, the target: the seeder no faster than its downloaders (10 Mbit/s up, 50
     * down), so the seeder must send every chunk exactly once (initial seeding) and the downloaders' uploads
     * must carry all the rest; the last one finishes within 1.2 of the bound, and never before it.
     */
    @Test
    void homogeneousHundredDownloadersFinishWithinTheBound() {
        SwarmReport report = run(10, 4);
        assertEquals(100, report.completionSeconds().length);
        assertEquals(FILE / (10 * MBPS), report.boundSeconds(), 1e-9, "F/u_s is the bound");
        assertTrue(report.boundRatio() >= 1.0, "beat the bound: the model leaks capacity " + report.boundRatio());
        assertTrue(report.boundRatio() <= 1.2, "ratio " + report.boundRatio());
    }

    /** A seeder four times faster: the bound is the downloaders' total upload, and it still holds. */
    @Test
    void fasterSeederFinishesWithinTheBound() {
        SwarmReport report = run(40, 3);
        assertEquals(100 * FILE / ((40 + 100 * 10) * MBPS), report.boundSeconds(), 1e-9);
        assertTrue(report.boundRatio() >= 1.0, "beat the bound: the model leaks capacity " + report.boundRatio());
        assertTrue(report.boundRatio() <= 1.2, "ratio " + report.boundRatio());
    }
}
