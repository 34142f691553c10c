package dev.kadshare.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(3, clock.executedEvents());
    }

    @Test
    void runUntilStopsWhenTheConditionHoldsAtThatEventsTime() {
        VirtualClock clock = new VirtualClock();
        int[] count = {0};
        for (int i = 1; i <= 5; i++) {
            clock.schedule(Duration.ofSeconds(i), () -> count[0]++);
        }
        assertTrue(clock.runUntil(() -> count[0] == 3, Duration.ofMinutes(1)));
        assertEquals(VirtualClock.ORIGIN.plusSeconds(3), clock.instant());
    }

    @Test
    void anEventBudgetStopsARunThatNeverEnds() {
        VirtualClock clock = new VirtualClock();
        Runnable[] again = new Runnable[1];
        again[0] = () -> clock.schedule(Duration.ZERO, again[0]);
        clock.schedule(Duration.ofSeconds(1), again[0]);
        assertFalse(clock.runFor(Duration.ofSeconds(2), 1_000));
        assertEquals(1_000, clock.executedEvents());
        assertEquals(VirtualClock.ORIGIN.plusSeconds(1), clock.instant(), "a run out of budget keeps its time");
        assertFalse(clock.runUntil(() -> false, Duration.ofSeconds(2), 10));
        assertEquals(1_010, clock.executedEvents());
    }

    @Test
    void aSpanWithinItsBudgetEndsAtItsEnd() {
        VirtualClock clock = new VirtualClock();
        clock.schedule(Duration.ofMillis(10), () -> { });
        assertTrue(clock.runFor(Duration.ofSeconds(1), 1));
        assertEquals(VirtualClock.ORIGIN.plusSeconds(1), clock.instant());
        assertEquals(1_000_000_000L, clock.nanos());
    }

    @Test
    void cancelledTimersDoNotPileUpInTheQueue() {
        VirtualClock clock = new VirtualClock();
        List<VirtualClock.Timer> timers = new ArrayList<>();
        int[] fired = new int[1];
        for (int i = 0; i < 10_000; i++) {
            timers.add(clock.schedule(Duration.ofMinutes(15), () -> fired[0]++));
        }
        for (int i = 0; i < 9_000; i++) {
            timers.get(i).cancel();
        }
        assertTrue(clock.queuedEvents() < 5_000, "queued: " + clock.queuedEvents());
        clock.runFor(Duration.ofMinutes(20));
        assertEquals(1_000, fired[0]);
        assertEquals(0, clock.queuedEvents());
    }
}
