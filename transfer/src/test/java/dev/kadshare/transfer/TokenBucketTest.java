package dev.kadshare.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private long now;

    @Test
    void burstIsFreeThenTheDebtIsPaidAtTheRate() {
        TokenBucket bucket = new TokenBucket(1000, 500, () -> now);
        assertEquals(0, bucket.reserve(500), "the burst");
        assertEquals(1_000_000_000L, bucket.reserve(1000), "1000 bytes of debt at 1000 B/s: one second");
        now += 1_000_000_000L;
        assertEquals(500_000_000L, bucket.reserve(500));
        now += 10_000_000_000L;
        assertEquals(0, bucket.reserve(500), "idle time refills only up to the burst");
        assertEquals(1_000_000L, bucket.reserve(1));
    }

    @Test
    void unlimitedNeverWaitsAndTheLongestWaitWins() {
        assertEquals(0, TokenBucket.unlimited().reserve(Long.MAX_VALUE / 2));
        TokenBucket slow = new TokenBucket(10, 0, () -> now);
        TokenBucket fast = new TokenBucket(1000, 0, () -> now);
        assertEquals(1_000_000_000L, TokenBucket.reserveAll(List.of(fast, slow, TokenBucket.unlimited()), 10));
    }

    @Test
    void tryReserveTakesOnlyFromABucketOutOfDebt() {
        TokenBucket bucket = new TokenBucket(1000, 0, () -> now);
        assertEquals(0, TokenBucket.tryReserveAll(List.of(bucket), 1000, now), "not in debt: taken, a second of debt");
        assertEquals(1_000_000_000L, TokenBucket.tryReserveAll(List.of(bucket), 1000, now), "in debt: nothing taken");
        assertEquals(1_000_000_000L, bucket.reserve(0, now), "still one second: the refusal took nothing");
        now += 1_000_000_000L;
        assertEquals(0, TokenBucket.tryReserveAll(List.of(bucket, TokenBucket.unlimited()), 1000, now));
    }

    @Test
    void aReservationAtTheCallersTimeRefillsByThatTimeNotTheBucketsOwnClock() {
        int[] reads = {0};
        TokenBucket bucket = new TokenBucket(1000, 0, () -> {
            if (reads[0]++ > 0) {
                throw new AssertionError("the bucket's own clock is read only at its creation");
            }
            return 5_000_000_000L;
        });
        assertEquals(1_000_000_000L, TokenBucket.reserveAll(List.of(bucket), 1000, 5_000_000_000L));
        assertEquals(500_000_000L, bucket.reserve(0, 5_500_000_000L), "half the debt paid half a second later");
        assertEquals(0, TokenBucket.reserveAll(List.of(bucket, TokenBucket.unlimited()), 0, 6_000_000_000L));
    }
}
