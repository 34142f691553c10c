package dev.kadshare.dht.node;

/**
 * Tokens that refill at a rate, up to a burst: one is spent per event admitted. Times are epoch milliseconds (no
 * {@code Instant} per bucket, as a node keeps one per busy source); one event loop uses it, so it needs no lock.
 */
final class TokenBucket {
    private double tokens;
    private long updatedMillis;

    /** A full bucket as of {@code nowMillis}. */
    TokenBucket(double burst, long nowMillis) {
        this.tokens = burst;
        this.updatedMillis = nowMillis;
    }

    /** Adds what {@code ratePerSecond} earned since the last refill, up to {@code burst}. */
    void refill(long nowMillis, double ratePerSecond, double burst) {
        double seconds = Math.max(0, (nowMillis - updatedMillis) / 1000.0);
        tokens = Math.min(burst, tokens + seconds * ratePerSecond);
        updatedMillis = nowMillis;
    }

    /** Spends a token if one is left. */
    boolean take() {
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** Whether it holds {@code burst} tokens: what a new bucket would. */
    boolean isFull(double burst) {
        return tokens >= burst;
    }
}
