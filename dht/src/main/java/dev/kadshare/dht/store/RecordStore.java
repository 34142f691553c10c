package dev.kadshare.dht.store;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;

/** Small records per key, each with an expiry; the most recent are kept, bounded per key, per source and in total. */
public final class RecordStore extends ExpiringStore<RecordValue> {
    public RecordStore(InstantSource clock, Duration ttl, Limits limits) {
        super(clock, ttl, limits);
    }

    @Override
    protected Object slotOf(RecordValue value, InetSocketAddress source) {
        return value;
    }
}
