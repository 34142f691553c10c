package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/** Answer to {@link FindNode}: up to {@link #MAX_CONTACTS} contacts. */
public record Nodes(long txId, NodeId sender, InetSocketAddress observed, List<Contact> contacts) implements Response {
    /** 20 IPv6 contacts (51 bytes each) plus the header stay well under the datagram limit. */
    public static final int MAX_CONTACTS = 20;

    public Nodes {
        Objects.requireNonNull(sender);
        Fields.requireResolved(observed);
        contacts = List.copyOf(contacts);
        if (contacts.size() > MAX_CONTACTS) {
            throw new IllegalArgumentException("at most " + MAX_CONTACTS + " contacts, got " + contacts.size());
        }
    }
}
