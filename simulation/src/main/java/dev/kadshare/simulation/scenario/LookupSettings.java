package dev.kadshare.simulation.scenario;

import java.time.Duration;

/** What a lookup run does: how many nodes, keys and lookups, how many at once, and how long to wait. */
public record LookupSettings(int nodes, int keys, int lookups, int joinConcurrency, int lookupConcurrency,
                             long seed, Duration timeout) {
    public LookupSettings {
        if (nodes < 2 || keys < 1 || lookups < 0 || joinConcurrency < 1 || lookupConcurrency < 1) {
            throw new IllegalArgumentException("need at least 2 nodes, 1 key, and positive concurrency");
        }
    }
}
