package dev.kadshare.simulation.cluster;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import dev.kadshare.dht.wire.Decoded;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Peers;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures GET_PEERS lookups from the wire, since the DHT core does not report per-lookup figures: it
 * watches the datagrams of nodes with a lookup in progress, counts the GET_PEERS they send for the key,
 * and tracks hops. A contact from the initiator's routing table is hop 1; one first learned from an
 * answer of a hop-h contact is hop h+1; the lookup's hops are those of the closest node that answered.
 *
 * <p>Thread-safe for loopback: everything about one initiator happens on that node's event loop, so only
 * the outer map is shared.
 */
public final class LookupTap {
    private static final class Trace {
        final NodeId key;
        final Map<InetSocketAddress, Integer> hopOf = new HashMap<>();
        final Map<Long, Integer> pendingHop = new HashMap<>();
        int rpcs;
        NodeId closest;
        int closestHops;

        Trace(NodeId key) {
            this.key = key;
        }
    }

    private final Map<InetSocketAddress, Trace> active = new ConcurrentHashMap<>();
    private final ThreadLocal<MessageCodec> codec = ThreadLocal.withInitial(MessageCodec::new);

    /** Starts tracing a lookup of {@code key} by {@code initiator}; one lookup per initiator at a time. */
    public void begin(InetSocketAddress initiator, NodeId key) {
        if (active.putIfAbsent(initiator, new Trace(key)) != null) {
            throw new IllegalStateException(initiator + " already runs a traced lookup");
        }
    }

    /** Stops tracing and returns the figures. */
    public LookupTrace end(InetSocketAddress initiator) {
        Trace t = active.remove(initiator);
        return t == null ? new LookupTrace(0, 0) : new LookupTrace(t.rpcs, t.closestHops);
    }

    public boolean isTracing(InetSocketAddress node) {
        return active.containsKey(node);
    }

    /** A datagram {@code from} sent to {@code to}. */
    public void sent(InetSocketAddress from, InetSocketAddress to, byte[] datagram) {
        Trace t = active.get(from);
        if (t == null) {
            return;
        }
        if (codec.get().decode(datagram) instanceof Decoded.Ok ok && ok.message() instanceof GetPeers g
                && g.key().equals(t.key)) {
            t.rpcs++;
            t.pendingHop.put(g.txId(), t.hopOf.getOrDefault(to, 1));
        }
    }

    /** A datagram from {@code from} arrived at {@code at}. */
    public void received(InetSocketAddress at, InetSocketAddress from, byte[] datagram) {
        Trace t = active.get(at);
        if (t == null) {
            return;
        }
        if (codec.get().decode(datagram) instanceof Decoded.Ok ok && ok.message() instanceof Peers p) {
            Integer hop = t.pendingHop.remove(p.txId());
            if (hop == null) {
                return;
            }
            for (Contact c : p.nodes()) {
                t.hopOf.merge(c.address(), hop + 1, Math::min);
            }
            if (t.closest == null || NodeId.byDistanceTo(t.key).compare(p.sender(), t.closest) < 0) {
                t.closest = p.sender();
                t.closestHops = hop;
            }
        }
    }
}
