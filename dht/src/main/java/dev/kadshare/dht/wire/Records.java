package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.token.WriteToken;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * Answer to {@link GetRecords}: the most recent values stored for the key (after the skipped ones) that
 * fit one datagram and how many are left for further pages, else the closest contacts; always a write
 * token for the asker's address (to {@link PutRecord} with).
 */
public record Records(long txId, NodeId sender, InetSocketAddress observed, WriteToken token, List<RecordValue> values, List<Contact> nodes,
                      int remaining) implements Response {
    /** Budget for the values, each costing its length plus a 2-byte length prefix; keeps the reply under the datagram limit. */
    public static final int MAX_VALUE_BYTES = 1200;

    public Records {
        Objects.requireNonNull(sender);
        Fields.requireResolved(observed);
        Objects.requireNonNull(token);
        values = List.copyOf(values);
        nodes = List.copyOf(nodes);
        if (wireSize(values) > MAX_VALUE_BYTES || nodes.size() > Nodes.MAX_CONTACTS) {
            throw new IllegalArgumentException("too many values or nodes: " + values.size() + "/" + nodes.size());
        }
        if (remaining < 0 || remaining > GetRecords.MAX_SKIP) {
            throw new IllegalArgumentException("remaining " + remaining);
        }
        if (!values.isEmpty() && !nodes.isEmpty()) {
            throw new IllegalArgumentException("a Records reply carries values or nodes, not both");
        }
    }

    /** Bytes {@code values} take in a reply, to be checked against {@link #MAX_VALUE_BYTES}. */
    public static int wireSize(List<RecordValue> values) {
        int size = 0;
        for (RecordValue v : values) {
            size += v.length() + 2;
        }
        return size;
    }
}
