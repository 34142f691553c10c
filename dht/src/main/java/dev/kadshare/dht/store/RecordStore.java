package dev.kadshare.dht.store;

import java.time.Duration;
import java.time.InstantSource;

/** Small records per key, each with an expiry; the most recent are kept, bounded per key and in total. */
public final class RecordStore extends ExpiringStore<RecordValue> {
    public RecordStore(InstantSource clock, Duration ttl, int maxPerKey, int maxTotal) {
        super(clock, ttl, maxPerKey, maxTotal);
    }
}
