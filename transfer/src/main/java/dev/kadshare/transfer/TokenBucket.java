package dev.kadshare.transfer;

import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A byte-rate limit: tokens refill at {@code bytesPerSecond} up to {@code burstBytes}. Callers reserve
 * the bytes they move and wait the returned delay before moving more, so the long-run rate never exceeds
 * the limit. Thread-safe: one node-wide bucket is shared by every connection of every transfer.
 */
public final class TokenBucket {
    private static final TokenBucket UNLIMITED = new TokenBucket(0, 0, () -> 0);

    private final long bytesPerSecond;
    private final long burstBytes;
    private final LongSupplier nanoClock;
    private long tokens;
    private long lastRefill;

    /**
     * @param bytesPerSecond the limit; 0 means unlimited
     * @param nanoClock monotonic nanoseconds ({@code MonotonicClock::nanos} at the edge, a virtual clock in tests)
     */
    public TokenBucket(long bytesPerSecond, long burstBytes, LongSupplier nanoClock) {
        if (bytesPerSecond < 0 || burstBytes < 0) {
            throw new IllegalArgumentException("rate " + bytesPerSecond + ", burst " + burstBytes);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burstBytes = burstBytes;
        this.nanoClock = nanoClock;
        this.tokens = burstBytes;
        this.lastRefill = nanoClock.getAsLong();
    }

    /** A limit of {@code bytesPerSecond} (0 = unlimited) with a burst of a quarter second, on {@code nanoClock}. */
    public static TokenBucket perSecond(long bytesPerSecond, LongSupplier nanoClock) {
        return bytesPerSecond == 0 ? UNLIMITED
                : new TokenBucket(bytesPerSecond, Math.max(1, bytesPerSecond / 4), nanoClock);
    }

    public static TokenBucket unlimited() {
        return UNLIMITED;
    }

    public boolean isUnlimited() {
        return bytesPerSecond == 0;
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Takes {@code bytes} (going into debt if need be) and returns how many nanoseconds to wait before moving more. */
    public synchronized long reserve(long bytes) {
        return isUnlimited() ? 0 : reserve(bytes, nanoClock.getAsLong());
    }

    /**
     * As {@link #reserve(long)}, at {@code nowNanos} on the caller's clock, which must count on the same base as
     * this bucket's: for callers whose time is injected.
     */
    public synchronized long reserve(long bytes, long nowNanos) {
        if (isUnlimited()) {
            return 0;
        }
        long now = nowNanos;
        long elapsed = Math.max(0, now - lastRefill);
        lastRefill = now;
        // Saturating refill: elapsed * rate may overflow after a long idle period.
        long refill = elapsed > Long.MAX_VALUE / bytesPerSecond ? burstBytes : elapsed * bytesPerSecond / 1_000_000_000L;
        tokens = Math.min(burstBytes, tokens + refill);
        tokens -= bytes;
        return tokens >= 0 ? 0 : Math.floorDiv(-tokens * 1_000_000_000L + bytesPerSecond - 1, bytesPerSecond);
    }

    /**
     * Takes {@code bytes} from every bucket if none is in debt, and returns 0; otherwise takes nothing and
     * returns how long until all are out of debt. A sender that asks again when told thus decides what to
     * send only once it can send it: reserving ahead instead queues debt behind every other sender, and the
     * chunk it reserved for goes out seconds later even if it was cancelled or choked meanwhile. Two callers
     * may both find the buckets free and both take, so the debt stays within one chunk per concurrent sender.
     * {@code nowNanos} is the caller's clock's time, on the buckets' base ({@link #reserve(long, long)}).
     */
    public static long tryReserveAll(List<TokenBucket> buckets, long bytes, long nowNanos) {
        long wait = 0;
        for (TokenBucket b : buckets) {
            wait = Math.max(wait, b.reserve(0, nowNanos));
        }
        if (wait > 0) {
            return wait;
        }
        reserveAll(buckets, bytes, nowNanos);
        return 0;
    }

    /** {@code instant} of a caller's clock as the nanoseconds {@link #reserve(long, long)} takes. */
    public static long nanosOf(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** Reserves {@code bytes} from every bucket; the wait is the longest of theirs. */
    public static long reserveAll(List<TokenBucket> buckets, long bytes) {
        long wait = 0;
        for (TokenBucket b : buckets) {
            wait = Math.max(wait, b.reserve(bytes));
        }
        return wait;
    }

    /** As {@link #reserveAll(List, long)}, at {@code nowNanos} on the caller's clock ({@link #reserve(long, long)}). */
    public static long reserveAll(List<TokenBucket> buckets, long bytes, long nowNanos) {
        long wait = 0;
        for (TokenBucket b : buckets) {
            wait = Math.max(wait, b.reserve(bytes, nowNanos));
        }
        return wait;
    }
}
