package dev.kadshare.node.transfers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.testkit.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A rate over the last 5 s, on a clock the test moves. */
class RateWindowTest {
    private static final long MIB = 1024 * 1024;
    private final VirtualClock clock = new VirtualClock();
    private final RateWindow window = new RateWindow(Duration.ofSeconds(5));
    private long total;

    /** {@code bytesPerSecond} for {@code seconds}, sampled every quarter second. */
    private void grow(long bytesPerSecond, int seconds) {
        for (int i = 0; i < seconds * 4; i++) {
            clock.runFor(Duration.ofMillis(250));
            total += bytesPerSecond / 4;
            window.record(clock.instant(), total);
        }
    }

    @Test
    void aSteadyRateIsMeasuredAsItIs() {
        window.record(clock.instant(), 0);
        grow(2 * MIB, 10);
        assertEquals(2 * MIB, window.bytesPerSecond(clock.instant()));
    }

    @Test
    void lessThanASecondOfHistoryGivesNoRateYet() {
        window.record(clock.instant(), 0);
        clock.runFor(Duration.ofMillis(500));
        window.record(clock.instant(), MIB);
        assertEquals(0, window.bytesPerSecond(clock.instant()));
        clock.runFor(Duration.ofMillis(500));
        window.record(clock.instant(), 2 * MIB);
        assertEquals(2 * MIB, window.bytesPerSecond(clock.instant()));
    }

    @Test
    void aCountFirstSeenLargeIsNoBurst() {
        // Re-attaching to a download that already holds 500 MiB: only what arrives from now on counts.
        total = 500 * MIB;
        window.record(clock.instant(), total);
        grow(MIB, 3);
        assertEquals(MIB, window.bytesPerSecond(clock.instant()));
    }

    @Test
    void onlyTheLastFiveSecondsCount() {
        window.record(clock.instant(), 0);
        grow(10 * MIB, 20);
        grow(MIB, 5);
        assertEquals(MIB, window.bytesPerSecond(clock.instant()), "the fast minute before is forgotten");
        grow(0, 2);
        assertEquals(Math.round(3.0 * MIB / 5), window.bytesPerSecond(clock.instant()), "3 of the last 5 s at 1 MiB/s");
    }

    @Test
    void aCountThatStopsGrowingFallsToZeroWithinTheWindow() {
        window.record(clock.instant(), 0);
        grow(MIB, 10);
        clock.runFor(Duration.ofSeconds(5));
        window.record(clock.instant(), total);
        assertEquals(0, window.bytesPerSecond(clock.instant()));
    }

    @Test
    void clearedTheTimeBeforeWeighsNothing() {
        // A pause: nothing for a minute, then cleared on resume, the rate is the resumed download's alone.
        window.record(clock.instant(), 0);
        grow(MIB, 5);
        grow(0, 60);
        window.clear();
        window.record(clock.instant(), total);
        grow(4 * MIB, 2);
        assertEquals(4 * MIB, window.bytesPerSecond(clock.instant()));
    }

    @Test
    void aCountThatStartsOverStartsTheWindowOver() {
        window.record(clock.instant(), 0);
        grow(MIB, 5);
        total = 0;
        window.record(clock.instant(), total);
        grow(2 * MIB, 2);
        assertEquals(2 * MIB, window.bytesPerSecond(clock.instant()));
    }

    @Test
    void frequentSamplesDoNotGrowTheWindow() {
        window.record(clock.instant(), 0);
        for (int i = 0; i < 100_000; i++) {
            clock.runFor(Duration.ofMillis(1));
            total += 1000;
            window.record(clock.instant(), total);
        }
        assertEquals(1_000_000, window.bytesPerSecond(clock.instant()));
        assertTrue(window.samples() <= 60, window.samples() + " samples kept");
    }
}
