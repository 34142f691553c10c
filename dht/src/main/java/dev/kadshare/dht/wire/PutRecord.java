package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.token.WriteToken;
import java.util.Objects;

/**
 * Asks the receiver to store {@code value} under {@code key} for {@code ttlSeconds} (capped by the
 * receiver's own TTL); only accepted with a token the receiver issued to the sender's IP. Answered by
 * {@link Stored}.
 */
public record PutRecord(long txId, NodeId sender, NodeId key, RecordValue value, int ttlSeconds, WriteToken token)
        implements Request {
    /** A day: longer than any TTL a node would keep. */
    public static final int MAX_TTL_SECONDS = 86_400;

    public PutRecord {
        if (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("ttl " + ttlSeconds + " s");
        }
        Objects.requireNonNull(sender);
        Objects.requireNonNull(key);
        Objects.requireNonNull(value);
        Objects.requireNonNull(token);
    }

    @Override
    public Class<Stored> responseType() {
        return Stored.class;
    }
}
