package dev.kadshare.simulation.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LatencyModelTest {
    @Test
    void symmetricFixedPerPairWithTheRequestedMedian() {
        LatencyModel model = new LatencyModel(50, 0.5, 3);
        assertEquals(model.nanos(4, 9), model.nanos(9, 4));
        assertEquals(model.nanos(4, 9), new LatencyModel(50, 0.5, 3).nanos(4, 9));
        long[] samples = new long[20_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = model.nanos(i, i + 1);
        }
        Arrays.sort(samples);
        double medianMillis = samples[samples.length / 2] / 1e6;
        assertTrue(Math.abs(medianMillis - 50) < 2, "median " + medianMillis);
    }
}
