package dev.kadshare.dht.lookup;

import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.token.WriteToken;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** What one queried contact told a lookup: closer contacts, and for GET_PEERS peers and a write token. */
public record LookupAnswer(List<Contact> nodes, List<InetSocketAddress> peers, Optional<WriteToken> token) {
    public LookupAnswer {
        nodes = List.copyOf(nodes);
        peers = List.copyOf(peers);
    }

    public static LookupAnswer nodes(List<Contact> nodes) {
        return new LookupAnswer(nodes, List.of(), Optional.empty());
    }
}
