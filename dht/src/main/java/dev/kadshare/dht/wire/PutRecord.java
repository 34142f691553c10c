package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.token.WriteToken;
import java.util.Objects;

/**
 * Asks the receiver to store {@code value} under {@code key}; only accepted with a token the receiver
 * issued to the sender's IP. Answered by {@link Stored}.
 */
public record PutRecord(long txId, NodeId sender, NodeId key, RecordValue value, WriteToken token) implements Request {
    public PutRecord {
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
