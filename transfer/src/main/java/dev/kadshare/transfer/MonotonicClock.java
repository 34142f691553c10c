package dev.kadshare.transfer;

import java.time.Instant;
import java.time.InstantSource;

/**
 * Real time for protocol code that takes an injected clock: instants on {@link System#nanoTime}, so they never jump
 * with the wall clock, and count on the same base as {@link TokenBucket#perSecond}'s buckets. Their origin is
 * arbitrary: only differences between them mean anything.
 */
public final class MonotonicClock implements InstantSource {
    public static final MonotonicClock INSTANCE = new MonotonicClock();

    private MonotonicClock() {
    }

    @Override
    public Instant instant() {
        return Instant.EPOCH.plusNanos(System.nanoTime());
    }
}
