package dev.kadshare.simulation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void nearestRankPercentiles() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;
        }
        assertEquals(new Summary(50, 95, 100), Summary.of(values));
        assertEquals(new Summary(7, 7, 7), Summary.of(new double[] {7}));
        assertEquals(new Summary(0, 0, 0), Summary.of(new double[0]));
    }
}
