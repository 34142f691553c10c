package dev.kadshare.simulation.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualClockTest {
    @Test
    void runsInTimeOrderTiesInSchedulingOrderAndSkipsCancelled() {
        VirtualClock clock = new VirtualClock();
        List<String> ran = new ArrayList<>();
        clock.schedule(Duration.ofSeconds(2), () -> ran.add("b"));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("a1"));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("a2"));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("never")).cancel();
        clock.schedule(Duration.ofSeconds(9), () -> ran.add("late"));
        assertFalse(clock.runUntil(() -> false, Duration.ofSeconds(5)));
        assertEquals(List.of("a1", "a2", "b"), ran);
        assertEquals(VirtualClock.ORIGIN.plusSeconds(5), clock.instant());
    }
}
