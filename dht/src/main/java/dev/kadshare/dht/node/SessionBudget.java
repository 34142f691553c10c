package dev.kadshare.dht.node;

import java.net.InetAddress;
import java.time.InstantSource;

/**
 * How many session keys a node derives a second for requests whose sender's key it keeps none for (burst twice that).
 * Each derivation is an X25519 (about 65 us), and a spoofed request can bring a fresh key from a fresh address every
 * time, which no per-IP limit bounds: past the budget such requests are dropped unanswered. Senders whose keys are
 * kept are still answered, and the answers to our own requests are never held to it (we asked them). A node bound to
 * loopback exempts loopback senders, as the per-IP limit does; 0 turns it off.
 */
final class SessionBudget {
    private final InstantSource clock;
    private final double perSecond;
    private final double burst;
    private final boolean loopbackExempt;
    private final TokenBucket bucket;

    SessionBudget(InstantSource clock, int perSecond, boolean loopbackExempt) {
        this.clock = clock;
        this.perSecond = perSecond;
        this.burst = 2.0 * perSecond;
        this.loopbackExempt = loopbackExempt;
        this.bucket = new TokenBucket(burst, clock.millis());
    }

    /** Whether a session key may be derived now for a request from {@code sender}; spends from the budget if so. */
    boolean admit(InetAddress sender) {
        if (perSecond <= 0 || (loopbackExempt && sender.isLoopbackAddress())) {
            return true;
        }
        bucket.refill(clock.millis(), perSecond, burst);
        return bucket.take();
    }
}
