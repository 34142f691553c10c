package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.util.Objects;

/**
 * Asks for the records stored under {@code key}, newest first, after skipping the {@code skip} newest
 * (the pages already received); answered by {@link Records}.
 */
public record GetRecords(long txId, NodeId sender, NodeId key, int skip) implements Request {
    /** No store keeps more values per key than this; a larger skip is malformed. */
    public static final int MAX_SKIP = 10_000;

    public GetRecords {
        Objects.requireNonNull(sender);
        Objects.requireNonNull(key);
        if (skip < 0 || skip > MAX_SKIP) {
            throw new IllegalArgumentException("skip " + skip);
        }
    }

    @Override
    public Class<Records> responseType() {
        return Records.class;
    }
}
