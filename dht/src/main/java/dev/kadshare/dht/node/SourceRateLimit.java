package dev.kadshare.dht.node;

import dev.kadshare.net.HostPrefix;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source host ({@link HostPrefix}: an IPv4 address, an IPv6 /64, in which a host may send from
 * any address it likes): {@code ratePerSecond} datagrams a second with bursts of twice that.
 * Loopback sources are exempt only on a node bound to loopback (a one-machine network shares 127.0.0.1); a node
 * that serves the internet limits a local process like any other source. The number of tracked sources
 * is bounded, so a flood of spoofed addresses cannot grow it without limit: past {@link #MAX_SOURCES}, a new source
 * takes the slot of the source heard least recently if its bucket is full again (what a new one would be: a flood of
 * one datagram per address fills each within milliseconds), and otherwise shares one more bucket with the others not
 * tracked. A bucket still refilling is never dropped, since a dropped bucket comes back full: a flood from that many
 * spoofed addresses would hand a heavy source a fresh burst. One looked at and still refilling goes to the back, so
 * that the next new source looks at another: one bucket looked at per datagram.
 *
 * <p>A full bucket is what a new one would be, so only buckets still refilling are worth keeping: they are swept out
 * as they fill (at most once per refill time, on the next datagram) and the map itself is dropped while it is empty.
 * A node of a large simulation hears from dozens of sources while the network is built and then from few; keeping
 * each of those until a periodic purge cost a 100,000-node network several KiB a node.
 */
final class SourceRateLimit {
    static final int MAX_SOURCES = 10_000;

    private final InstantSource clock;
    private final double ratePerSecond;
    private final double burst;
    /** How long an empty bucket takes to fill: a bucket untouched that long is full. */
    private final long refillMillis;
    /** Null while no source is tracked. */
    private LinkedHashMap<HostPrefix, TokenBucket> buckets;
    /**
     * What the sources not tracked share while {@link #MAX_SOURCES} are and the eldest is still refilling; null until
     * then, and once it is full.
     */
    private TokenBucket untracked;
    private long lastSweepMillis;
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
        this.refillMillis = ratePerSecond <= 0 ? 0 : (long) Math.ceil(burst / ratePerSecond * 1000);
    }

    /** Whether one more datagram from {@code source} is admitted now; spends a token if so. */
    boolean admit(InetAddress source) {
        if (ratePerSecond <= 0 || source == null || (loopbackExempt && source.isLoopbackAddress())) {
            return true;
        }
        long now = clock.millis();
        if (buckets != null && now - lastSweepMillis >= refillMillis) {
            forgetFullBuckets(now);
        }
        if (buckets == null) {
            buckets = new LinkedHashMap<>(16, 0.75f, true); // access order: the eldest was heard least recently
            lastSweepMillis = now;
        }
        HostPrefix host = HostPrefix.of(source);
        TokenBucket b = buckets.get(host);
        if (b == null && buckets.size() < MAX_SOURCES) {
            b = new TokenBucket(burst, now);
            buckets.put(host, b);
            return b.take();
        }
        if (b == null) {
            b = reclaimEldest(host, now);
        }
        if (b == null) {
            // No tracked bucket still refilling makes room (it would come back full); the next sweep frees those that
            // have filled.
            if (untracked == null) {
                untracked = new TokenBucket(burst, now);
            }
            b = untracked;
        }
        b.refill(now, ratePerSecond, burst);
        return b.take();
    }

    /** Forgets the sources whose buckets have refilled (the node also calls this periodically). */
    void forgetIdle() {
        if (buckets != null) {
            forgetFullBuckets(clock.millis());
        }
    }

    /** Sources tracked now (buckets still refilling, or not yet swept). */
    int tracked() {
        return buckets == null ? 0 : buckets.size();
    }

    /**
     * The eldest bucket, now {@code host}'s, if it is full (what a new one would be); else null, and the eldest goes to
     * the back so that the next miss looks at another.
     */
    private TokenBucket reclaimEldest(HostPrefix host, long now) {
        Map.Entry<HostPrefix, TokenBucket> eldest = buckets.entrySet().iterator().next();
        TokenBucket b = eldest.getValue();
        b.refill(now, ratePerSecond, burst);
        if (!b.isFull(burst)) {
            buckets.get(eldest.getKey());
            return null;
        }
        buckets.remove(eldest.getKey());
        buckets.put(host, b);
        return b;
    }

    /** A full bucket is what a new one would be, so forgetting it loses nothing. */
    private void forgetFullBuckets(long now) {
        lastSweepMillis = now;
        Iterator<TokenBucket> it = buckets.values().iterator();
        while (it.hasNext()) {
            TokenBucket b = it.next();
            b.refill(now, ratePerSecond, burst);
            if (b.isFull(burst)) {
                it.remove();
            }
        }
        if (untracked != null) {
            untracked.refill(now, ratePerSecond, burst);
            if (untracked.isFull(burst)) {
                untracked = null;
            }
        }
        if (buckets.isEmpty()) {
            buckets = null; // a map emptied after a busy spell would keep its grown table
        }
    }
}
