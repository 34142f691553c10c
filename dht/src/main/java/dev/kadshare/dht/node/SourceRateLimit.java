package dev.kadshare.dht.node;

import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A token bucket per source IP: {@code ratePerSecond} datagrams a second with bursts of twice that.
 * Loopback sources are exempt only on a node bound to loopback (a one-machine network shares 127.0.0.1); a node
 * that serves the internet limits a local process like any other source. The number of tracked sources
 * is bounded, so a flood of spoofed addresses cannot grow it without limit.
 */
final class SourceRateLimit {
    private static final int MAX_SOURCES = 10_000;

    private static final class Bucket {
        double tokens;
        Instant updated;

        Bucket(double tokens, Instant updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    private final InstantSource clock;
    private final double ratePerSecond;
    private final double burst;
    private final Map<InetAddress, Bucket> buckets = new HashMap<>();
    private final boolean loopbackExempt;

    /** A rate of 0 admits everything. */
    SourceRateLimit(InstantSource clock, int ratePerSecond, boolean loopbackExempt) {
        this(clock, ratePerSecond, 2.0 * ratePerSecond, loopbackExempt);
    }

    /** {@code ratePerSecond} (a fraction for less than one a second) with bursts of {@code burst}. */
    SourceRateLimit(InstantSource clock, double ratePerSecond, double burst, boolean loopbackExempt) {
        this.clock = clock;
        this.loopbackExempt = loopbackExempt;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    /** Whether one more datagram from {@code source} is admitted now; spends a token if so. */
    boolean admit(InetAddress source) {
        if (ratePerSecond <= 0 || source == null || (loopbackExempt && source.isLoopbackAddress())) {
            return true;
        }
        Instant now = clock.instant();
        Bucket b = buckets.get(source);
        if (b == null) {
            if (buckets.size() >= MAX_SOURCES) {
                forgetFullBuckets(now);
            }
            b = new Bucket(burst, now);
            buckets.put(source, b);
        } else {
            refill(b, now);
        }
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    private void refill(Bucket b, Instant now) {
        double seconds = Math.max(0, (now.toEpochMilli() - b.updated.toEpochMilli()) / 1000.0);
        b.tokens = Math.min(burst, b.tokens + seconds * ratePerSecond);
        b.updated = now;
    }

    /**
     * Forgets the sources whose buckets have refilled: a full bucket is what a new one would be, and a node
     * hears from thousands of sources once each, which would otherwise stay until {@code MAX_SOURCES}.
     */
    void forgetIdle() {
        forgetFullBuckets(clock.instant());
    }

    /** A full bucket is what a new one would be, so forgetting it loses nothing; if none is full, start over. */
    private void forgetFullBuckets(Instant now) {
        Iterator<Bucket> it = buckets.values().iterator();
        while (it.hasNext()) {
            Bucket b = it.next();
            refill(b, now);
            if (b.tokens >= burst) {
                it.remove();
            }
        }
        if (buckets.size() >= MAX_SOURCES) {
            buckets.clear();
        }
    }
}
