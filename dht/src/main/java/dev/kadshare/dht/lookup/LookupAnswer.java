package dev.kadshare.dht.lookup;

import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.token.WriteToken;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * What one queried contact told a lookup: closer contacts, and for GET_PEERS / GET_RECORDS the peers or
 * record values it holds and a write token.
 */
public record LookupAnswer(List<Contact> nodes, List<InetSocketAddress> peers, Optional<WriteToken> token,
                           List<RecordValue> values) {
    public LookupAnswer {
        nodes = List.copyOf(nodes);
        peers = List.copyOf(peers);
        values = List.copyOf(values);
    }

    public LookupAnswer(List<Contact> nodes, List<InetSocketAddress> peers, Optional<WriteToken> token) {
        this(nodes, peers, token, List.of());
    }

    public static LookupAnswer nodes(List<Contact> nodes) {
        return new LookupAnswer(nodes, List.of(), Optional.empty());
    }

    /** Whether it carried what the lookup is after (peers or values), not just closer nodes. */
    boolean hasContent() {
        return !peers.isEmpty() || !values.isEmpty();
    }
}
