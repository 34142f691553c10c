package dev.kadshare.dht.routing;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.Objects;

/** A remote DHT node: its id and the UDP address it answers on. */
public record Contact(NodeId id, InetSocketAddress address) {
    public Contact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
    }

    /** Orders contacts by XOR distance of their id to {@code target}, closest first. */
    public static Comparator<Contact> byDistanceTo(NodeId target) {
        return Comparator.comparing(Contact::id, NodeId.byDistanceTo(target));
    }
}
