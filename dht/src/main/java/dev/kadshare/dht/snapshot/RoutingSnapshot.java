package dev.kadshare.dht.snapshot;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import java.util.List;
import java.util.Objects;

/** What a node keeps across restarts: its id and the contacts of its routing table. */
public record RoutingSnapshot(NodeId id, List<Contact> contacts) {
    public RoutingSnapshot {
        Objects.requireNonNull(id);
        contacts = List.copyOf(contacts);
    }
}
