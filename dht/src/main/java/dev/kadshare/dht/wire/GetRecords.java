package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.util.Objects;

/** Asks for the records stored under {@code key}; answered by {@link Records}. */
public record GetRecords(long txId, NodeId sender, NodeId key) implements Request {
    public GetRecords {
        Objects.requireNonNull(sender);
        Objects.requireNonNull(key);
    }

    @Override
    public Class<Records> responseType() {
        return Records.class;
    }
}
