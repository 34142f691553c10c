package dev.kadshare.dht.node;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.routing.RoutingTable;
import dev.kadshare.dht.store.AnnouncedPeer;
import dev.kadshare.dht.store.ExpiringStore;
import dev.kadshare.dht.store.PeerStore;
import dev.kadshare.dht.store.RecordStore;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.token.WriteToken;
import dev.kadshare.dht.token.WriteTokens;
import dev.kadshare.dht.wire.AnnouncePeer;
import dev.kadshare.dht.wire.Announced;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.GetRecords;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.PeerWithdrawn;
import dev.kadshare.dht.wire.Peers;
import dev.kadshare.dht.wire.Ping;
import dev.kadshare.dht.wire.Pong;
import dev.kadshare.dht.wire.PutRecord;
import dev.kadshare.dht.wire.Records;
import dev.kadshare.dht.wire.Request;
import dev.kadshare.dht.wire.Response;
import dev.kadshare.dht.wire.Stored;
import dev.kadshare.dht.wire.WithdrawPeer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The server side of the protocol: the response to each inbound request, if it deserves one. */
final class Responder {
    /** What to do with one request. */
    sealed interface Reply {
        record Answer(Response response) implements Reply {
        }

        /** No answer; {@code reason} is the drop counter's name. */
        record Refused(String reason) implements Reply {
        }
    }

    private final NodeId self;
    private final int k;
    private final RoutingTable table;
    private final WriteTokens tokens;
    private final PeerStore peers;
    private final RecordStore records;
    private final int maxRecordsPerKey;
    private final int slack;
    private final boolean onLoopback;

    /**
     * {@code slack}: how far beyond the k closest to a key this node still stores it; {@code onLoopback}: a node on a
     * one-machine test network, where each loopback address:port is a source of its own.
     */
    Responder(NodeId self, int k, int slack, boolean onLoopback, RoutingTable table, WriteTokens tokens, PeerStore peers,
              RecordStore records, int maxRecordsPerKey) {
        this.self = self;
        this.k = k;
        this.slack = slack;
        this.onLoopback = onLoopback;
        this.table = table;
        this.tokens = tokens;
        this.peers = peers;
        this.records = records;
        this.maxRecordsPerKey = maxRecordsPerKey;
    }

    Reply respond(InetSocketAddress from, Request request) {
        if (request instanceof Ping p) {
            return answer(new Pong(p.txId(), self, from));
        }
        if (request instanceof FindNode f) {
            return answer(new Nodes(f.txId(), self, from, closest(f.target())));
        }
        if (request instanceof GetPeers g) {
            List<AnnouncedPeer> found = Peers.fittingOneReply(peers.get(g.key(), Peers.MAX_PEERS));
            List<Contact> nodes = found.isEmpty() ? closest(g.key()) : List.of();
            return answer(new Peers(g.txId(), self, from, tokens.issue(from.getAddress()), found, nodes));
        }
        if (request instanceof AnnouncePeer a) {
            // The peer is the announcer's source IP: a node can only announce itself. Its link key is its word, kept
            // as a hint: the link's handshake proves it or refutes it.
            return withToken(a.token(), from, () -> closeTo(a.key()) ? stored(
                    peers.put(a.key(), AnnouncedPeer.of(new InetSocketAddress(from.getAddress(), a.port()), a.linkKey()),
                            sourceOf(from)),
                    new Announced(a.txId(), self, from)) : NOT_CLOSE);
        }
        if (request instanceof WithdrawPeer w) {
            // Bound to the source IP like the announcement: a node can only take back its own entry.
            return withToken(w.token(), from, () -> {
                peers.withdraw(w.key(), new InetSocketAddress(from.getAddress(), w.port()));
                return answer(new PeerWithdrawn(w.txId(), self, from));
            });
        }
        if (request instanceof GetRecords g) {
            List<RecordValue> all = records.get(g.key(), maxRecordsPerKey);
            List<RecordValue> after = all.subList(Math.min(g.skip(), all.size()), all.size());
            List<RecordValue> page = fittingOneReply(after);
            List<Contact> nodes = all.isEmpty() ? closest(g.key()) : List.of();
            return answer(new Records(g.txId(), self, from, tokens.issue(from.getAddress()), page, nodes,
                    after.size() - page.size()));
        }
        if (request instanceof PutRecord p) {
            // The signature last: it is the costliest check.
            return withToken(p.token(), from, () -> !closeTo(p.key()) ? NOT_CLOSE
                    : !p.value().verifies(p.key()) ? BAD_SIGNATURE
                    : stored(records.put(p.key(), p.value(), sourceOf(from), Duration.ofSeconds(p.ttlSeconds())),
                            new Stored(p.txId(), self, from)));
        }
        throw new IllegalStateException("unhandled request " + request.getClass());
    }

    /** A write (store or remove) happens only with a token we issued to the writer's IP. */
    private Reply withToken(WriteToken token, InetSocketAddress from, Supplier<Reply> write) {
        return tokens.isValid(token, from.getAddress()) ? write.get() : new Reply.Refused("BAD_TOKEN");
    }

    private static Reply answer(Response response) {
        return new Reply.Answer(response);
    }

    private static final Reply NOT_CLOSE = new Reply.Refused("STORE_NOT_CLOSE");
    private static final Reply BAD_SIGNATURE = new Reply.Refused("STORE_BAD_SIGNATURE");

    /** A store refused is counted as {@code STORE_<outcome>}: a full store, a source over its quota, a stale record. */
    private static Reply stored(ExpiringStore.Outcome outcome, Response ack) {
        return outcome.accepted() ? answer(ack) : new Reply.Refused("STORE_" + outcome.name());
    }

    /**
     * Whether we are among the k + slack closest to {@code key} that our table knows: only those store it, so a
     * flood of stores for keys far from us finds no room here.
     */
    private boolean closeTo(NodeId key) {
        List<Contact> near = table.closest(key, k + slack);
        return near.size() < k + slack || NodeId.byDistanceTo(key).compare(self, near.get(near.size() - 1).id()) < 0;
    }

    /**
     * Who a store counts against: the source IP, or on a one-machine test network (a node bound to loopback) each
     * loopback address and port, since all its nodes share 127.0.0.1.
     */
    InetSocketAddress sourceOf(InetSocketAddress from) {
        return sourceOf(from, onLoopback);
    }

    static InetSocketAddress sourceOf(InetSocketAddress from, boolean onLoopback) {
        return onLoopback && from.getAddress().isLoopbackAddress() ? from : new InetSocketAddress(from.getAddress(), 0);
    }

    /** The first (most recent) values, as many as one datagram holds. */
    private static List<RecordValue> fittingOneReply(List<RecordValue> newestFirst) {
        List<RecordValue> out = new ArrayList<>();
        int size = 0;
        for (RecordValue v : newestFirst) {
            size += v.length() + 2;
            if (size > Records.MAX_VALUE_BYTES) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    private List<Contact> closest(NodeId target) {
        return table.closest(target, Math.min(k, Nodes.MAX_CONTACTS));
    }
}
