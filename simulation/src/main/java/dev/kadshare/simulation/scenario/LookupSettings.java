package dev.kadshare.simulation.scenario;

import java.time.Duration;

/**
 * What a lookup run does: how many nodes, keys and lookups, how many at once, how long each phase may take,
 * and whether a partial network (not every node joined, a phase out of time) may still be reported.
 */
public record LookupSettings(int nodes, int keys, int lookups, int joinConcurrency, int lookupConcurrency,
                             long seed, Duration timeout, boolean allowPartial) {
    public LookupSettings {
        if (nodes < 2 || keys < 1 || lookups < 0 || joinConcurrency < 1 || lookupConcurrency < 1) {
            throw new IllegalArgumentException("need at least 2 nodes, 1 key, and positive concurrency");
        }
    }

    /** A run that must be whole. */
    public LookupSettings(int nodes, int keys, int lookups, int joinConcurrency, int lookupConcurrency, long seed,
                          Duration timeout) {
        this(nodes, keys, lookups, joinConcurrency, lookupConcurrency, seed, timeout, false);
    }
}
