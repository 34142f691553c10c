package dev.kadshare.dht.node;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.routing.RoutingTable;
import dev.kadshare.dht.store.PeerStore;
import dev.kadshare.dht.token.WriteTokens;
import dev.kadshare.dht.wire.AnnouncePeer;
import dev.kadshare.dht.wire.Announced;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.Peers;
import dev.kadshare.dht.wire.Ping;
import dev.kadshare.dht.wire.Pong;
import dev.kadshare.dht.wire.Request;
import dev.kadshare.dht.wire.Response;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** The server side of the protocol: the response to each inbound request, if it deserves one. */
final class Responder {
    private final NodeId self;
    private final int k;
    private final RoutingTable table;
    private final WriteTokens tokens;
    private final PeerStore store;

    Responder(NodeId self, int k, RoutingTable table, WriteTokens tokens, PeerStore store) {
        this.self = self;
        this.k = k;
        this.table = table;
        this.tokens = tokens;
        this.store = store;
    }

    /** Empty when the request is refused (an ANNOUNCE_PEER without a valid token): it gets no answer. */
    Optional<Response> respond(InetSocketAddress from, Request request) {
        if (request instanceof Ping p) {
            return Optional.of(new Pong(p.txId(), self));
        }
        if (request instanceof FindNode f) {
            return Optional.of(new Nodes(f.txId(), self, closest(f.target())));
        }
        if (request instanceof GetPeers g) {
            List<InetSocketAddress> peers = store.get(g.key(), Peers.MAX_PEERS);
            List<Contact> nodes = peers.isEmpty() ? closest(g.key()) : List.of();
            return Optional.of(new Peers(g.txId(), self, tokens.issue(from.getAddress()), peers, nodes));
        }
        if (request instanceof AnnouncePeer a) {
            if (!tokens.isValid(a.token(), from.getAddress())) {
                return Optional.empty();
            }
            // The peer is the announcer's source IP: a node can only announce itself.
            store.put(a.key(), new InetSocketAddress(from.getAddress(), a.port()));
            return Optional.of(new Announced(a.txId(), self));
        }
        throw new IllegalStateException("unhandled request " + request.getClass());
    }

    private List<Contact> closest(NodeId target) {
        return table.closest(target, Math.min(k, Nodes.MAX_CONTACTS));
    }
}
