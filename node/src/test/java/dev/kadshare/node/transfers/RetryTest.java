package dev.kadshare.node.transfers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.testkit.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The waits between a transfer's attempts, when it warns, what it says meanwhile and when it gives up. */
class RetryTest {
    private final VirtualClock clock = new VirtualClock();
    private final Retry retry = new Retry();

    private Retry.Decision.Wait waitAfter(Setback setback) {
        return assertInstanceOf(Retry.Decision.Wait.class, retry.setback(setback, clock.instant()));
    }

    /** Waits out the last decision and starts the next attempt. */
    private void attemptAfter(Retry.Decision.Wait wait) {
        clock.runFor(wait.delay());
        retry.attempting();
    }

    @Test
    void waitsDoubleFromOneSecondUpToAMinute() {
        retry.started(clock.instant());
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            Retry.Decision.Wait wait = waitAfter(new Setback.NoPeersFound());
            waits.add(wait.delay().toSeconds());
            attemptAfter(wait);
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), waits);
    }

    @Test
    void onlyAChangeOfCauseIsNews() {
        retry.started(clock.instant());
        IOException refused = new IOException("connection refused");
        List<Boolean> news = new ArrayList<>();
        for (Setback s : List.of(new Setback.NoPeersFound(), new Setback.NoPeersFound(), new Setback.NoPeersFound(),
                new Setback.PeersUnavailable(2, Optional.of(refused)), new Setback.PeersUnavailable(3, Optional.of(refused)),
                new Setback.NoPeersFound())) {
            Retry.Decision.Wait wait = waitAfter(s);
            news.add(wait.newCause());
            attemptAfter(wait);
        }
        assertEquals(List.of(true, false, false, true, false, true), news);
    }

    @Test
    void saysWhyItWaitsAndWhenItLooksAgain() {
        retry.started(clock.instant());
        assertEquals(Optional.empty(), retry.reason(clock.instant()), "nothing went wrong yet");
        for (int i = 0; i < 3; i++) {
            attemptAfter(waitAfter(new Setback.NoPeersFound()));
        }
        assertEquals(Optional.of("no peers found yet; looking for peers again"), retry.reason(clock.instant()));
        waitAfter(new Setback.NoPeersFound());
        assertEquals(Optional.of("no peers found yet; next lookup in 8 s"), retry.reason(clock.instant()));
        clock.runFor(Duration.ofMillis(2500));
        assertEquals(Optional.of("no peers found yet; next lookup in 6 s"), retry.reason(clock.instant()));
        clock.runFor(Duration.ofSeconds(6));
        assertEquals(Optional.of("no peers found yet; next lookup in 0 s"), retry.reason(clock.instant()));
    }

    @Test
    void progressStartsTheWaitsShortAgainAndMakesTheNextSetbackNews() {
        retry.started(clock.instant());
        for (int i = 0; i < 5; i++) {
            attemptAfter(waitAfter(new Setback.NoPeersFound()));
        }
        retry.progressed(clock.instant());
        assertEquals(Optional.empty(), retry.reason(clock.instant()));
        Retry.Decision.Wait wait = waitAfter(new Setback.PeersLost(1, Optional.of(new IOException("gone"))));
        assertEquals(Duration.ofSeconds(1), wait.delay());
        assertTrue(wait.newCause());
    }

    @Test
    void givesUpAfterTenMinutesWithoutProgress() {
        retry.started(clock.instant());
        int attempts = 0;
        Retry.Decision decision = retry.setback(new Setback.NoPeersFound(), clock.instant());
        while (decision instanceof Retry.Decision.Wait wait && attempts < 100) {
            attemptAfter(wait);
            attempts++;
            decision = retry.setback(new Setback.NoPeersFound(), clock.instant());
        }
        Retry.Decision.GiveUp giveUp = assertInstanceOf(Retry.Decision.GiveUp.class, decision);
        // 1+2+4+8+16+32 s, then a minute each: the 16th setback comes after 10 min 3 s.
        assertEquals(Duration.ofSeconds(603), Duration.ofNanos(clock.nanos()));
        assertEquals("no peers found yet; gave up after 10 min without progress (16 attempts)", giveUp.error());
    }

    @Test
    void progressPutsOffGivingUp() {
        retry.started(clock.instant());
        clock.runFor(Duration.ofMinutes(9));
        retry.progressed(clock.instant());
        clock.runFor(Duration.ofMinutes(9));
        assertFalse(retry.setback(new Setback.NoPeersFound(), clock.instant()) instanceof Retry.Decision.GiveUp);
    }
}
