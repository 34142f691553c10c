package dev.kadshare.net;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The real clock that adapters inject into protocol code, which never reads one itself: {@link System#nanoTime}, so
 * time never jumps with the wall clock, as instants ({@link #instant()}) and as nanoseconds ({@link #nanos()}, for
 * rate limits) on one base. The origin is arbitrary: only differences mean anything.
 */
public final class MonotonicClock implements InstantSource {
    public static final MonotonicClock INSTANCE = new MonotonicClock();

    private MonotonicClock() {
    }

    @Override
    public Instant instant() {
        return Instant.EPOCH.plusNanos(nanos());
    }

    /** Nanoseconds on the base of {@link #instant()}. */
    public long nanos() {
        return System.nanoTime();
    }
}
