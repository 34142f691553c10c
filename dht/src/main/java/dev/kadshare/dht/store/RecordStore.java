package dev.kadshare.dht.store;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Signed records per key, each with an expiry: one per publisher slot (SHA-256(public key || salt)), replaced only by
 * a higher sequence number; bounded per key, per source and in total. Signatures are checked before a put.
 */
public final class RecordStore extends ExpiringStore<RecordValue> {
    public RecordStore(InstantSource clock, Duration ttl, Limits limits) {
        super(clock, ttl, limits);
    }

    @Override
    protected Object slotOf(RecordValue value, InetSocketAddress source) {
        return value.slot();
    }

    @Override
    protected boolean supersedes(RecordValue newer, RecordValue older) {
        return newer.seq() > older.seq();
    }
}
